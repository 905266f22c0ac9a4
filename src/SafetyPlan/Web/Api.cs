using SafetyPlan.Agreements;
using SafetyPlan.BottomLines;
using SafetyPlan.Clock;
using SafetyPlan.Escalations;
using SafetyPlan.Evaluations;
using SafetyPlan.History;
using SafetyPlan.People;
using SafetyPlan.Plans;
using SafetyPlan.Reports;

namespace SafetyPlan.Web;

/// <summary>Every route of the public contract (../shared/api-contract.md), in one place.</summary>
public static class Api
{
    public static WebApplication MapSafetyPlanApi(this WebApplication app)
    {
        var plans = app.MapGroup("/api/plans").WithTags("Plans");
        PlanQueries.Map(plans);
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
        PlanHistory.Map(plans);
        PlanDiff.Map(plans);
        Audit.VerifyChain.Map(plans);
        Scheduling.DeadlinesEndpoint.Map(plans);

        var reports = app.MapGroup("/api/plans").WithTags("Network members' reports");
        LogCheckInEndpoint.Map(reports);
        RaiseConcernEndpoint.Map(reports);
        GiveRatingEndpoint.Map(reports);

        var escalations = app.MapGroup("/api/escalations").WithTags("Escalations");
        EscalationInboxEndpoint.Map(escalations);
        RespondToEscalationEndpoints.Map(escalations);

        UserEndpoints.Map(app.MapGroup("/api/users").WithTags("People"));
        Notifications.NotificationInboxEndpoint.Map(app);

        if (app.Services.GetService<ManualClock>() is not null) ClockEndpoint.Map(app);
        return app;
    }
}
