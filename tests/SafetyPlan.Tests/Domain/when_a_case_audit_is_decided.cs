using SafetyPlan.Auth;
using SafetyPlan.CaseAudits;
using SafetyPlan.Decisions;
using SafetyPlan.Plans;
using static SafetyPlan.Tests.Domain.PlanFixtures;
using static SafetyPlan.Tests.Domain.Scenario;

namespace SafetyPlan.Tests.Domain;

/// <summary>
/// The collaborative case audit's facts (a pure function over the plan's events) and its decisions: who opens, writes
/// and signs it, and that a signature covers the text signed (CaseAudits/; docs/events.md, "The case audit").
/// </summary>
public sealed class when_a_case_audit_is_decided
{
    private static readonly Caller Auditor = new("aud", new HashSet<string> { "auditor" }, null, "en");
    private static readonly Caller Anna = TheMonitor;
    private static readonly Caller Colleague = new("carla", new HashSet<string> { "professional" }, null, "en");
    private static readonly Guid AuditId = Guid.Parse("77777777-7777-7777-7777-777777777777");
    private static readonly CaseAuditFacts Facts = new(0, null, null, 0, 0, 0);
    // One instance, so that events compare as records (a list compares by reference).
    private static readonly IReadOnlyList<CaseAuditAnswer> Answers = [new CaseAuditAnswer("family-heard", 4, null)];

    private static OpenCaseAudit Open(Caller by, string professional = "anna", string? auditorTeam = null, string? professionalTeam = null, long version = 0) =>
        new(PlanId, professional, Facts, version, auditorTeam, professionalTeam, by);

    private static object[] Opened() => [.. ActivePlan(), new CaseAuditOpened(AuditId, "anna", "aud", Facts, 0, Monday)];

    private static CaseAuditWritten Written(int revision, string reflection = "Goed gedaan", string by = "aud") =>
        new(AuditId, Answers, reflection, "Eerder bellen", revision, by, Monday);

    private static WriteCaseAudit Write(Caller by, string reflection = "Goed gedaan") =>
        new(PlanId, AuditId, Answers, reflection, "Eerder bellen", by);

    [Fact]
    public void the_facts_count_escalations_and_the_median_minutes_to_first_acknowledgement()
    {
        Guid a = Guid.NewGuid(), b = Guid.NewGuid(), c = Guid.NewGuid();
        EscalationRaised Raised(Guid id, int minute) =>
            new(id, Guid.NewGuid(), "Plan", "Ingrijpen", "any breach", "anna", "bart", Monday.AddHours(4), Monday.AddMinutes(minute));

        var facts = CaseAuditFactsOf.Of([
            .. ActivePlan(),
            Raised(a, 0), new EscalationAcknowledged(a, "anna", null, Monday.AddMinutes(10)),
            Raised(b, 100), new EscalationAcknowledged(b, "bart", null, Monday.AddMinutes(130)),
            new EscalationAcknowledged(b, "anna", null, Monday.AddMinutes(500)), // a second acknowledgement does not count
            Raised(c, 200), // never acknowledged: counted, but not in the median
        ]);

        facts.Escalations.ShouldBe(3);
        facts.MedianAcknowledgeMinutes.ShouldBe(20); // the mean of 10 and 30
    }

    [Fact]
    public void no_acknowledged_escalation_and_no_reported_occurrence_leave_the_median_and_the_rate_empty()
    {
        var facts = CaseAuditFactsOf.Of(ActivePlan());
        facts.ShouldBe(new CaseAuditFacts(0, null, null, 0, 0, 0, facts.ComplianceByAgreement, facts.ConferenceAttendance));
        facts.ComplianceByAgreement.ShouldBe([new AgreementCompliance(PickUp, "Oma haalt op", 0, 0, 0, 0, 0, null)]);
        facts.ConferenceAttendance.ShouldBeEmpty();
    }

    [Fact]
    public void compliance_per_agreement_counts_each_occurrence_by_its_last_word_and_adds_up_to_the_overall_rate()
    {
        var (call, visit) = (Guid.Parse("44444444-4444-4444-4444-444444444444"), Guid.Parse("55555555-5555-5555-5555-555555555555"));
        var at = Monday.AddDays(1);
        DateTimeOffset Day(int day) => Monday.AddDays(day).AddHours(6); // 14:00 in the plan's zone
        CheckInLogged Logged(Guid agreement, int day, CheckInOutcome outcome, bool correction = false, bool late = false) =>
            new(Guid.NewGuid(), Guid.NewGuid().ToString(), agreement, Oma, outcome, null, Day(day), at, Late: late, Correction: correction);
        CheckInMissed Missed(Guid agreement, int day) => new(agreement, Day(day), Day(day).AddHours(4), at);

        var facts = CaseAuditFactsOf.Of([
            .. ActivePlan(),
            new AgreementMade(call, "Moeder belt oma om 20:00", Oma, null, new Agreements.Schedule(Daily: new TimeOnly(20, 0)), TimeSpan.FromHours(1), Monday),
            new AgreementMade(visit, "Fatima komt op zaterdag langs", Oma, null, new Agreements.Schedule(Daily: new TimeOnly(10, 0)), TimeSpan.FromHours(1), Monday),
            Logged(PickUp, 1, CheckInOutcome.NotKept), Logged(PickUp, 1, CheckInOutcome.Kept, correction: true), // corrected: kept, not also not kept
            Missed(PickUp, 2), Logged(PickUp, 2, CheckInOutcome.Partly, late: true), // missed, then reported late: partly
            Missed(PickUp, 3), Missed(PickUp, 3), // the same occurrence missed twice counts once
            Logged(call, 1, CheckInOutcome.Kept), Logged(call, 2, CheckInOutcome.NotKept),
            Logged(call, 3, CheckInOutcome.Kept), Missed(call, 3), // a miss after a report does not replace it
            // visit: no outcome yet
        ]);

        facts.ComplianceByAgreement.ShouldBe([
            new AgreementCompliance(PickUp, "Oma haalt op", WithOutcome: 3, Kept: 1, Partly: 1, NotKept: 0, Missed: 1, Rate: 0.333),
            new AgreementCompliance(call, "Moeder belt oma om 20:00", WithOutcome: 3, Kept: 2, Partly: 0, NotKept: 1, Missed: 0, Rate: 0.667),
            new AgreementCompliance(visit, "Fatima komt op zaterdag langs", WithOutcome: 0, Kept: 0, Partly: 0, NotKept: 0, Missed: 0, Rate: null),
        ]);
        facts.ComplianceRate.ShouldBe(0.5); // 3 kept of the 6 occurrences with an outcome: the same counting, over all agreements
    }

    [Fact]
    public void attendance_lists_each_session_with_the_members_and_professionals_present_and_not_its_notes()
    {
        var fatima = Guid.Parse("66666666-6666-6666-6666-666666666666");
        var (first, second) = (Guid.Parse("88888888-8888-8888-8888-888888888888"), Guid.Parse("99999999-9999-9999-9999-999999999999"));
        var facts = CaseAuditFactsOf.Of([
            .. DraftedPlan(),
            new ConferenceSessionHeld(first, new DateOnly(2027, 1, 5), [Oma], ["anna"], "Zorgen in kaart", Monday.AddDays(1)),
            new ConferenceSessionHeld(second, new DateOnly(2027, 1, 12), [Oma, fatima], ["anna", "bart"], "Plan afgesproken", Monday.AddDays(8)),
        ]);

        facts.ConferenceSessions.ShouldBe(2);
        facts.ConferenceAttendance.ShouldNotBeNull().Count.ShouldBe(2);
        facts.ConferenceAttendance[0].ShouldBe(new ConferenceAttendance(first, new DateOnly(2027, 1, 5), [Oma], ["anna"]), new AttendanceComparer());
        facts.ConferenceAttendance[1].ShouldBe(new ConferenceAttendance(second, new DateOnly(2027, 1, 12), [Oma, fatima], ["anna", "bart"]), new AttendanceComparer());
    }

    [Fact]
    public void facts_are_those_of_the_history_up_to_the_version_asked_whatever_came_later()
    {
        var events = ActivePlan().Concat<object>([
            new CheckInLogged(Guid.NewGuid(), "c1", PickUp, Oma, CheckInOutcome.Kept, null, Monday.AddDays(1).AddHours(6), Monday.AddDays(1)),
            new CheckInLogged(Guid.NewGuid(), "c2", PickUp, Oma, CheckInOutcome.NotKept, null, Monday.AddDays(2).AddHours(6), Monday.AddDays(2)),
            new ConferenceSessionHeld(Guid.NewGuid(), new DateOnly(2027, 1, 9), [Oma], ["anna"], "Later", Monday.AddDays(5)),
        ]).ToList();
        var upToTheFirst = CaseAuditFactsOf.Of(events.Take(ActivePlan().Length + 1));
        upToTheFirst.ComplianceByAgreement.ShouldBe([new AgreementCompliance(PickUp, "Oma haalt op", 1, 1, 0, 0, 0, 1)]);
        upToTheFirst.ConferenceAttendance.ShouldBeEmpty();
        CaseAuditFactsOf.Of(events).ComplianceByAgreement.ShouldBe([new AgreementCompliance(PickUp, "Oma haalt op", 2, 1, 0, 1, 0, 0.5)]);
    }

    [Fact]
    public void at_retention_the_agreements_titles_in_the_facts_are_masked_and_every_figure_kept()
    {
        var facts = CaseAuditFactsOf.Of(ActivePlan());
        var opened = new CaseAuditOpened(AuditId, "anna", "aud", facts, 0, Monday);
        var masked = (CaseAuditOpened)SafetyPlan.Privacy.PersonalDataMasking.Apply(opened);
        masked.Facts.ComplianceByAgreement.ShouldBe([new AgreementCompliance(PickUp, SafetyPlan.Privacy.PersonalDataMasking.Masked, 0, 0, 0, 0, 0, null)]);

        var plan = Build([.. ActivePlan(), opened]);
        SafetyPlan.Privacy.PersonalDataMasking.Mask(plan, Monday);
        plan.CaseAudits.Single().Facts.ComplianceByAgreement!.Single().Title.ShouldBe(SafetyPlan.Privacy.PersonalDataMasking.Masked);
    }

    /// <summary>Attendance compared by its values: its lists are lists, which a record compares by reference.</summary>
    private sealed class AttendanceComparer : IEqualityComparer<ConferenceAttendance>
    {
        public bool Equals(ConferenceAttendance? x, ConferenceAttendance? y) =>
            x is not null && y is not null && (x.SessionId, x.HeldOn) == (y.SessionId, y.HeldOn)
            && x.MembersPresent.SequenceEqual(y.MembersPresent) && x.ProfessionalsPresent.SequenceEqual(y.ProfessionalsPresent);
        public int GetHashCode(ConferenceAttendance obj) => obj.SessionId.GetHashCode();
    }

    [Fact]
    public void compliance_counts_each_occurrence_once_by_its_last_word()
    {
        var at = Monday.AddDays(1);
        CheckInLogged Logged(int day, CheckInOutcome outcome, bool correction = false) =>
            new(Guid.NewGuid(), Guid.NewGuid().ToString(), PickUp, Oma, outcome, null, Monday.AddDays(day).Date.AddHours(14), at, Correction: correction);
        CheckInMissed Missed(int day) => new(PickUp, Monday.AddDays(day).Date.AddHours(14), Monday.AddDays(day).AddHours(8), at);

        var facts = CaseAuditFactsOf.Of([
            .. ActivePlan(),
            Logged(1, CheckInOutcome.Kept),
            Logged(2, CheckInOutcome.NotKept), Logged(2, CheckInOutcome.Kept, correction: true), // corrected to kept
            Missed(3), Logged(3, CheckInOutcome.Kept), // missed, then reported late: kept
            Missed(4),
            Logged(5, CheckInOutcome.Partly),
        ]);

        facts.ComplianceRate.ShouldBe(0.6); // 3 kept of 5 occurrences with an outcome
    }

    [Fact]
    public void an_evaluation_is_on_time_on_or_before_the_date_in_force_in_the_plans_zone()
    {
        // PlanAgreed makes 1 March 2027 the date; 23:30 UTC on 1 March is already 2 March in Amsterdam: late.
        var late = new DateTimeOffset(2027, 3, 1, 23, 30, 0, TimeSpan.Zero);
        var onTime = new DateTimeOffset(2027, 4, 12, 21, 0, 0, TimeSpan.Zero); // 23:00 on 12 April in Amsterdam, the date set by the first
        var facts = CaseAuditFactsOf.Of([
            .. ActivePlan(),
            new EvaluationRecorded(Guid.NewGuid(), EvaluationOutcome.Continue, "Gaat goed", new DateOnly(2027, 4, 12), 1, late),
            new EvaluationRecorded(Guid.NewGuid(), EvaluationOutcome.Continue, "Gaat goed", new DateOnly(2027, 6, 1), 1, onTime),
        ]);

        (facts.EvaluationsOnTime, facts.Evaluations).ShouldBe((1, 2));
    }

    [Fact]
    public void conference_sessions_are_counted_from_their_events()
    {
        ConferenceSessionHeld Session(int day) => new(Guid.NewGuid(), new DateOnly(2027, 1, day), [Oma], ["anna"], "Afgesproken", Monday.AddDays(day));
        CaseAuditFactsOf.Of([.. ActivePlan(), Session(5), Session(12)]).ConferenceSessions.ShouldBe(2);
    }

    [Fact]
    public void an_auditor_opens_an_audit_with_the_facts_they_computed_and_a_derived_id()
    {
        var facts = new CaseAuditFacts(2, 15, 0.5, 1, 1, 0);
        var expected = OpenCaseAudit.AuditId(PlanId, "anna", "aud", 0);
        Given(ActivePlan())
            .When(plan => OpenCaseAudit.Decide(plan, Open(Auditor) with { Facts = facts }, Monday))
            .Then(new CaseAuditOpened(expected, "anna", "aud", facts, 0, Monday));
    }

    [Fact]
    public void opening_it_again_answers_the_open_audit_and_appends_nothing()
    {
        var outcome = Given(Opened()).When(plan => OpenCaseAudit.Decide(plan, Open(Auditor), Monday.AddHours(1))).Then();
        outcome.Decision.Repeated.ShouldBeTrue();
        outcome.Decision.Result.ShouldBe(new CreatedId(AuditId));
    }

    [Fact]
    public void facts_computed_on_an_older_version_are_computed_again()
    {
        Given(ActivePlan()).When(plan => OpenCaseAudit.Decide(plan, Open(Auditor, version: plan.Version - 1), Monday))
            .ThenRejected(RejectionKind.Conflict).ShouldBe(OpenCaseAudit.HistoryMoved);
    }

    [Fact]
    public void a_team_lead_opens_an_audit_of_a_professional_of_their_own_team_only()
    {
        var lead = new Caller("tess", new HashSet<string> { "professional", "teamlead" }, null, "nl");
        Given(ActivePlan()).When(plan => OpenCaseAudit.Decide(plan, Open(lead, auditorTeam: "noord", professionalTeam: "noord"), Monday))
            .Then(new CaseAuditOpened(OpenCaseAudit.AuditId(PlanId, "anna", "tess", 0), "anna", "tess", Facts, 0, Monday));
        Given(ActivePlan()).When(plan => OpenCaseAudit.Decide(plan, Open(lead, auditorTeam: "noord", professionalTeam: "zuid"), Monday))
            .ThenRejected(RejectionKind.Forbidden);
        Given(ActivePlan()).When(plan => OpenCaseAudit.Decide(plan, Open(lead, auditorTeam: null, professionalTeam: null), Monday))
            .ThenRejected(RejectionKind.Forbidden);
    }

    [Fact]
    public void a_professional_who_is_neither_auditor_nor_team_lead_cannot_open_one()
    {
        Given(ActivePlan()).When(plan => OpenCaseAudit.Decide(plan, Open(Colleague), Monday)).ThenRejected(RejectionKind.Forbidden);
    }

    [Fact]
    public void the_professional_must_be_the_plans_monitor_or_backup()
    {
        Given(ActivePlan()).When(plan => OpenCaseAudit.Decide(plan, Open(Auditor, professional: "carla"), Monday))
            .ThenRejected(RejectionKind.Invalid).Errors!.Keys.ShouldBe(["professionalId"]);
        Given(ActivePlan()).When(plan => OpenCaseAudit.Decide(plan, Open(Auditor, professional: "bart"), Monday)).Then(
            new CaseAuditOpened(OpenCaseAudit.AuditId(PlanId, "bart", "aud", 0), "bart", "aud", Facts, 0, Monday));
    }

    [Fact]
    public void a_monitor_from_before_a_handover_can_still_be_audited_and_someone_who_never_monitored_cannot()
    {
        object[] HandedOver() => [.. ActivePlan(), new MonitoringHandedOver("anna", "bart", "carla", null, "Regiewissel", Monday)];
        Given(HandedOver()).When(plan => OpenCaseAudit.Decide(plan, Open(Auditor, professional: "anna"), Monday.AddHours(1))).Then(
            new CaseAuditOpened(OpenCaseAudit.AuditId(PlanId, "anna", "aud", 0), "anna", "aud", Facts, 0, Monday.AddHours(1)));
        Given(HandedOver()).When(plan => OpenCaseAudit.Decide(plan, Open(Auditor, professional: "dirk"), Monday.AddHours(1)))
            .ThenRejected(RejectionKind.Invalid).Errors!.Keys.ShouldBe(["professionalId"]);
    }

    [Fact]
    public void only_its_two_participants_write_it()
    {
        Given(Opened()).When(plan => WriteCaseAudit.Decide(plan, Write(Colleague), Monday)).ThenRejected(RejectionKind.Forbidden);
        Given(Opened()).When(plan => WriteCaseAudit.Decide(plan, Write(Anna), Monday)).Then(Written(1, by: "anna"));
    }

    [Fact]
    public void the_same_text_again_appends_nothing()
    {
        Given([.. Opened(), Written(1)]).When(plan => WriteCaseAudit.Decide(plan, Write(Auditor), Monday)).Then().Decision.Repeated.ShouldBeTrue();
    }

    [Fact]
    public void a_change_after_one_signature_voids_it_so_that_a_signature_covers_the_text_signed()
    {
        var plan = Given([.. Opened(), Written(1), new CaseAuditSigned(AuditId, "anna", 1, Monday)])
            .When(plan => WriteCaseAudit.Decide(plan, Write(Auditor, "Anders geformuleerd"), Monday))
            .Then(Written(2, "Anders geformuleerd"))
            .AndThePlan();
        plan.FindCaseAudit(AuditId)!.SignedBy.ShouldBeEmpty();
        plan.FindCaseAudit(AuditId)!.IsSigned.ShouldBeFalse();
    }

    [Fact]
    public void it_is_signed_once_both_signed_and_signing_again_appends_nothing()
    {
        var given = Given([.. Opened(), Written(1)]);
        var plan = given.When(plan => SignCaseAudit.Decide(plan, new SignCaseAudit(PlanId, AuditId, Anna), Monday))
            .Then(new CaseAuditSigned(AuditId, "anna", 1, Monday)).AndThePlan();
        plan.FindCaseAudit(AuditId)!.IsSigned.ShouldBeFalse();
        Given(plan).When(p => SignCaseAudit.Decide(p, new SignCaseAudit(PlanId, AuditId, Anna), Monday)).Then().Decision.Repeated.ShouldBeTrue();

        var outcome = Given(plan).When(p => SignCaseAudit.Decide(p, new SignCaseAudit(PlanId, AuditId, Auditor), Monday))
            .Then(new CaseAuditSigned(AuditId, "aud", 1, Monday));
        outcome.Decision.Result!.State.ShouldBe(CaseAuditState.Signed);
        outcome.AndThePlan().FindCaseAudit(AuditId)!.IsSigned.ShouldBeTrue();
    }

    [Fact]
    public void a_signed_audit_refuses_changes()
    {
        Given([.. Opened(), Written(1), new CaseAuditSigned(AuditId, "anna", 1, Monday), new CaseAuditSigned(AuditId, "aud", 1, Monday)])
            .When(plan => WriteCaseAudit.Decide(plan, Write(Anna, "Toch iets anders"), Monday))
            .ThenRejected(RejectionKind.Conflict).ShouldBe(CaseAuditGuards.Signed);
    }

    [Fact]
    public void nothing_written_cannot_be_signed()
    {
        Given(Opened()).When(plan => SignCaseAudit.Decide(plan, new SignCaseAudit(PlanId, AuditId, Anna), Monday)).ThenRejected(RejectionKind.Conflict);
    }

    [Fact]
    public void an_unknown_question_or_a_score_outside_1_to_5_is_refused_naming_the_field()
    {
        var request = new WriteCaseAuditRequest(new()
        {
            ["family-heard"] = new CaseAuditAnswerRequest(6, null),
            ["weather-was-nice"] = new CaseAuditAnswerRequest(3, null),
            ["network-involved"] = new CaseAuditAnswerRequest(5, "Goed"),
        }, "r", "l");
        var rejection = request.ToCommand(PlanId, AuditId, Auditor).Rejection.ShouldNotBeNull();
        rejection.Kind.ShouldBe(RejectionKind.Invalid);
        rejection.Errors!.Keys.ShouldBe(["answers.family-heard.score", "answers.weather-was-nice"], ignoreOrder: true);
    }
}
