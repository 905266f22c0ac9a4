using SafetyPlan.CaseAudits;
using SafetyPlan.Plans;

namespace SafetyPlan.Tests.Domain;

/// <summary>
/// The printed audit (CaseAuditPrint, on its print page and in the case file) gives its times in the plan's own zone,
/// named beside them, and says when it was closed by the second signature: no reader has to convert from UTC.
/// </summary>
public sealed class when_a_case_audit_is_printed
{
    private static readonly DateTimeOffset Opened = new(2027, 3, 1, 14, 5, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Signed = new(2027, 3, 30, 23, 30, 0, TimeSpan.Zero);

    private static CaseAuditView Audit(DateTimeOffset? signedAt) => new(
        Guid.Parse("7f0b8c1e-2d3a-4b5c-8d9e-0f1a2b3c4d5e"), "anna", "ilse", new CaseAuditFacts(0, null, null, 0, 0, 0),
        new Dictionary<string, CaseAuditAnswerView>(), "", "", signedAt is null ? [] : ["anna", "ilse"],
        signedAt is null ? CaseAuditState.Open : CaseAuditState.Signed, 1, 12, Opened, signedAt);

    [Fact]
    public void the_opening_and_closing_times_read_in_the_plans_zone_across_a_change_of_offset()
    {
        var amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");
        var html = CaseAuditPrint.Section(Audit(Signed), "en", 1, zone: amsterdam);
        html.ShouldContain("2027-03-01 15:05 Europe/Amsterdam"); // winter time, +01:00
        html.ShouldContain("2027-03-31 01:30 Europe/Amsterdam"); // summer time, +02:00, the next day there
        html.ShouldContain("closed when both had signed");
        html.ShouldNotContain("UTC", Case.Sensitive);
    }

    [Fact]
    public void an_open_audit_names_no_closing_time_in_either_language()
    {
        var amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");
        CaseAuditPrint.Section(Audit(null), "en", 1, zone: amsterdam).ShouldNotContain("closed when both had signed");
        var dutch = CaseAuditPrint.Section(Audit(null), "nl", 1, zone: amsterdam);
        dutch.ShouldContain("Geopend 2027-03-01 15:05 Europe/Amsterdam");
        dutch.ShouldNotContain("gesloten toen beiden hadden getekend");
    }
}
