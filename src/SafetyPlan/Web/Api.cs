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
        // Every read of case data by a person is in the access log.
        var reads = app.MapGroup("/api/plans").WithTags("Plans").AddEndpointFilter<Audit.RecordAccess>();
        reads.AddEndpointFilter<Auth.PlanReadAccess>(); // only the plans the caller may read (docs/security.md)
        PlanQueries.Map(reads);
        DraftPlanEndpoint.Map(plans);
        AddMemberEndpoint.Map(plans);
        RemoveMemberEndpoint.Map(plans);
        SetSafetyGoalEndpoint.Map(plans);
        MakeAgreementEndpoint.Map(plans);
        WithdrawAgreementEndpoint.Map(plans);
        SetBottomLineEndpoint.Map(plans);
        RemoveBottomLineEndpoint.Map(plans);
        AgreePlanEndpoint.Map(plans);
        RecordEvaluationEndpoint.Map(plans);
        PlanHistory.Map(reads);
        PlanDiff.Map(reads);
        Audit.CaseFileExport.Map(reads);
        Audit.PersonalDataExport.Map(reads);
        Audit.VerifyChain.Map(reads);
        Audit.RecordAccess.MapLog(plans);
        Scheduling.DeadlinesEndpoint.Map(reads);

        var reports = app.MapGroup("/api/plans").WithTags("Network members' reports");
        LogCheckInEndpoint.Map(reports);
        RaiseConcernEndpoint.Map(reports);
        GiveRatingEndpoint.Map(reports);

        var escalations = app.MapGroup("/api/escalations").WithTags("Escalations");
        EscalationInboxEndpoint.Map(escalations);
        RespondToEscalationEndpoints.Map(escalations);

        UserEndpoints.Map(app.MapGroup("/api/users").WithTags("People"));
        Organisations.OrganisationEndpoints.Map(app.MapGroup("/api/organisations").WithTags("People"));
        Notifications.NotificationInboxEndpoint.Map(app);
        PersonalLinks.PersonalLinkEndpoints.Map(plans);
        PersonalLinks.PersonalLinkSignIn.Map(app);
        Auth.OidcSignIn.Map(app);
        Statistics.DailyComplianceEndpoint.Map(app);

        if (app.Services.GetService<ManualClock>() is not null) ClockEndpoint.Map(app);
        return app;
    }
}
