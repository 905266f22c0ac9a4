using SafetyPlan.Agreements;
using SafetyPlan.BottomLines;
using SafetyPlan.Clock;
using SafetyPlan.Escalations;
using SafetyPlan.Evaluations;
using SafetyPlan.History;
using SafetyPlan.People;
using SafetyPlan.Reports;

namespace SafetyPlan.Web;

/// <summary>Every route of the public contract (../shared/api-contract.md), in one place.</summary>
public static class Api
{
    public static WebApplication MapSafetyPlanApi(this WebApplication app)
    {
        var plans = app.MapGroup("/api/plans").WithTags("Plans");
        // Every read of case data by a person is in the access log (Audit/AccessLogMiddleware), allowed or refused.
        var reads = app.MapGroup("/api/plans").WithTags("Plans").WithMetadata(new Audit.CaseDataReadAttribute());
        reads.AddEndpointFilter<Auth.PlanReadAccess>(); // only the plans the caller may read (docs/security.md)
        PlanQueries.Map(reads);
        MapPlanCommands(plans);
        PlanHistory.Map(reads);
        PlanDiff.Map(reads);
        Audit.CaseFileExport.Map(reads);
        Audit.PersonalDataExport.Map(reads);
        Audit.VerifyChain.Map(reads);
        Audit.AccessLogEndpoints.MapPlanLog(plans);
        Audit.AccessLogEndpoints.Map(app);
        Scheduling.DeadlinesEndpoint.Map(reads);
        MapCaseAudits(app.MapGroup("/api/plans").WithTags("Case audits"));

        MapReports(app.MapGroup("/api/plans").WithTags("Network members' reports"));

        var escalations = app.MapGroup("/api/escalations").WithTags("Escalations");
        EscalationInboxEndpoint.Map(escalations);
        RespondToEscalationEndpoints.Map(escalations);

        UserEndpoints.Map(app.MapGroup("/api/users").WithTags("People"));
        Organisations.OrganisationEndpoints.Map(app.MapGroup("/api/organisations").WithTags("People"));
        Notifications.NotificationInboxEndpoint.Map(app);
        Notifications.PushSubscriptionEndpoints.Map(app);
        PersonalLinks.PersonalLinkEndpoints.Map(plans);
        PersonalLinks.PersonalLinkSignIn.Map(app);
        PersonalLinks.CalendarFeed.Map(app);
        Auth.OidcSignIn.Map(app);
        Statistics.DailyComplianceEndpoint.Map(app);

        if (app.Services.GetService<ManualClock>() is not null) ClockEndpoint.Map(app);
        return app;
    }

    /// <summary>The commands on a plan and who may send them; each endpoint is the <c>Post</c> or <c>Delete</c> of its request or command.</summary>
    private static void MapPlanCommands(RouteGroupBuilder plans)
    {
        plans.MapPost("", DraftPlanRequest.Post).Professionals("Draft a new safety plan.")
            .Produces<CreatedId>(StatusCodes.Status201Created).ProducesValidationProblem();
        plans.MapPost("{planId:guid}/members", AddMemberRequest.Post).Professionals("Add a network member to a plan.");
        plans.MapDelete("{planId:guid}/members/{memberId:guid}", RemoveMember.Delete).Professionals("Remove a network member from a plan; their history stays.");
        plans.MapPut("{planId:guid}/members/{memberId:guid}/reminders", SetMemberRemindersRequest.Put).RequireAuthorization(Policies.Reporter)
            .WithSummary("Turn a member's reminders off or on (the member themselves, or a professional of the plan for them).");
        plans.MapPost("{planId:guid}/goals", SetSafetyGoalRequest.Post).Professionals("Set a danger statement and its safety goal.");
        plans.MapPost("{planId:guid}/agreements", MakeAgreementRequest.Post).Professionals("Make an agreement: who does what, when.");
        plans.MapDelete("{planId:guid}/agreements/{agreementId:guid}", WithdrawAgreement.Delete).Professionals("Withdraw an agreement; its history is kept.");
        plans.MapPost("{planId:guid}/bottom-lines", SetBottomLineRequest.Post).Professionals("Set a bottom line: a rule that makes professionals step in.");
        plans.MapDelete("{planId:guid}/bottom-lines/{bottomLineId:guid}", RemoveBottomLine.Delete).Professionals("Remove a bottom line; its history is kept.");
        plans.MapPost("{planId:guid}/agree", AgreePlanRequest.Post).Professionals("Record that the network agreed the plan: Draft to Active.");
        plans.MapPost("{planId:guid}/evaluations", RecordEvaluationRequest.Post).Professionals("Record the plan's evaluation.");
        plans.MapPost("{planId:guid}/handover", Handover.HandoverRequest.Post)
            .Professionals("Hand monitoring over to another professional, with an optional new backup and a note; open escalations go along (the monitor, the backup or a professional of the plan's team).");
        plans.MapPost("{planId:guid}/conference-sessions", Conference.RecordConferenceSessionRequest.Post).Professionals(
            "Record a session of the network conference: when, who was present, what was agreed. One session per day: the same session again answers its id.");
    }

    /// <summary>
    /// The collaborative case audit (CaseAudits/): opened by an auditor or the professional's team lead; read by its two
    /// participants and the organisation's auditors; written and signed by its two participants (docs/security.md).
    /// </summary>
    private static void MapCaseAudits(RouteGroupBuilder audits)
    {
        audits.MapPost("{planId:guid}/case-audits", CaseAudits.OpenCaseAuditRequest.Post).RequireAuthorization(Policies.CaseAuditOpener)
            .WithSummary("Open a collaborative case audit of the plan with the professional who monitored it; its facts are the history's at this moment (auditors, or the professional's team lead).");
        audits.MapGet("{planId:guid}/case-audits/{auditId:guid}", CaseAudits.CaseAuditView.Get).RequireAuthorization(Policies.CaseAuditor)
            .WithMetadata(new Audit.CaseDataReadAttribute())
            .WithSummary("A case audit: its facts, answers, reflection, learning points and signatures (its professional and auditor, and the organisation's auditors).")
            .Produces<CaseAudits.CaseAuditView>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        audits.MapPut("{planId:guid}/case-audits/{auditId:guid}", CaseAudits.WriteCaseAuditRequest.Put).RequireAuthorization(Policies.CaseAuditor)
            .WithMetadata(new Audit.CaseDataReadAttribute("write")) // answers with the audit, or 409 after the other's save
            .WithSummary("Write a case audit's answers, reflection and learning points; open audits only (its professional and auditor). With revision (the one read), 409 when someone saved since.");
        audits.MapPost("{planId:guid}/case-audits/{auditId:guid}/sign", CaseAudits.SignCaseAudit.Post).RequireAuthorization(Policies.CaseAuditor)
            .WithMetadata(new Audit.CaseDataReadAttribute("write")) // answers with the audit
            .WithSummary("Sign the case audit's current text; signed once both its professional and its auditor signed (its professional and auditor). Body optional: { revision } of the text read, 409 when it is no longer the current one.");
    }

    /// <summary>What a member (or a professional for them) reports; a repeated clientId answers 200 with the first receipt.</summary>
    private static void MapReports(RouteGroupBuilder reports)
    {
        reports.MapPost("{planId:guid}/check-ins", LogCheckInRequest.Post).Reporters(
            "Log a check-in on one occurrence of an agreement (the member themselves, or a professional for them). Idempotent by clientId.");
        reports.MapPost("{planId:guid}/concerns", RaiseConcernRequest.Post).Reporters("Raise a concern (a worry outside any agreement). Idempotent by clientId.");
        reports.MapPost("{planId:guid}/ratings", GiveRatingRequest.Post).Reporters("Give a safety rating from 0 to 10. Idempotent by clientId.");
    }

    /// <summary>Professionals only; the summary, ending in a full stop, gets "(professionals)".</summary>
    public static RouteHandlerBuilder Professionals(this RouteHandlerBuilder route, string summary) =>
        route.RequireAuthorization(Policies.Professional).WithSummary($"{summary[..^1]} (professionals).");

    /// <summary>The organisation's admins only; the summary, ending in a full stop, gets "(admins)".</summary>
    public static RouteHandlerBuilder Admins(this RouteHandlerBuilder route, string summary) =>
        route.RequireAuthorization(Policies.Admin).WithSummary($"{summary[..^1]} (admins).");

    /// <summary>Network members and professionals (<see cref="Policies.Reporter"/>); a repeated clientId answers 200 with the first receipt.</summary>
    public static RouteHandlerBuilder Reporters(this RouteHandlerBuilder route, string summary) =>
        route.RequireAuthorization(Policies.Reporter).WithSummary(summary).Produces<Receipt>();
}
