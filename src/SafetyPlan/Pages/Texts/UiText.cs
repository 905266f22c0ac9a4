using SafetyPlan.Escalations;
using SafetyPlan.Reports;

namespace SafetyPlan.Pages;

/// <summary>
/// The texts of the pages: one instance per language (UiText.nl.cs, UiText.en.cs). Every text is required, so a text
/// missing in one language does not compile; markup takes every word from here.
/// </summary>
public sealed class UiText
{
    public static UiText For(string language) => language == "en" ? UiTextEn.Value : UiTextNl.Value;

    public string Status(StatusColour colour) => colour switch
    {
        StatusColour.Red => StatusRed, StatusColour.Amber => StatusAmber, _ => StatusGreen,
    };

    public string Unreachable(UnreachableReason reason) => reason switch
    {
        UnreachableReason.NoChannel => UnreachableNoChannel, UnreachableReason.EmailRefused => UnreachableEmailRefused,
        UnreachableReason.PushGone => UnreachablePushGone, _ => UnreachableBoth,
    };

    public string State(PlanState state) => state switch
    {
        PlanState.Draft => StateDraft, PlanState.Active => StateActive, _ => StateClosed,
    };

    public string Escalation(EscalationState state) => state switch
    {
        EscalationState.Open => EscalationOpen, EscalationState.Acknowledged => EscalationAcknowledged, _ => EscalationResolved,
    };

    public string Occurrence(OccurrenceState state) => state switch
    {
        OccurrenceState.Kept => OccurrenceKept, OccurrenceState.Partly => OccurrencePartly, OccurrenceState.NotKept => OccurrenceNotKept,
        OccurrenceState.Missed => OccurrenceMissed, _ => OccurrenceOpen,
    };

    public string Week(WeekState state) => state switch
    {
        WeekState.ToCome => WeekToCome, WeekState.Kept => OccurrenceKept, WeekState.Partly => OccurrencePartly,
        WeekState.NotKept => OccurrenceNotKept, WeekState.Missed => OccurrenceMissed, WeekState.Late => WeekLate, _ => OccurrenceOpen,
    };

    public string Severity(global::SafetyPlan.Plans.Severity severity) => severity switch
    {
        global::SafetyPlan.Plans.Severity.Low => SeverityLevelLow, global::SafetyPlan.Plans.Severity.Medium => SeverityLevelMedium, _ => SeverityLevelHigh,
    };

    public string ChartState(OccurrenceState state) => state switch
    {
        OccurrenceState.Kept => ChartKept, OccurrenceState.Partly => ChartPartly, OccurrenceState.NotKept => ChartNotKept,
        OccurrenceState.Missed => ChartMissed, _ => ChartOpen,
    };

    public string Schedule(global::SafetyPlan.Agreements.Schedule schedule, System.Globalization.CultureInfo culture) => schedule switch
    {
        { Daily: { } daily } => string.Format(culture, ScheduleDaily, daily.ToString("HH:mm", culture)),
        { Weekly: { } days, At: { } at } => string.Format(culture, ScheduleWeekly,
            string.Join(", ", days.Select(d => culture.DateTimeFormat.GetDayName(d))), at.ToString("HH:mm", culture)),
        // An instant given with an offset is shown with it: in the plan's zone 02:30 may be either of two moments.
        { OnceAt: { } instant } => string.Format(culture, ScheduleOnce, $"{instant.ToString("g", culture)} (UTC{instant.ToString("zzz", culture)})"),
        { Once: { } once } => string.Format(culture, ScheduleOnce, once.ToString("g", culture)),
        _ => "",
    };

    public string MemberRoleName(MemberRole role) => role switch
    {
        MemberRole.Parent => RoleParent, MemberRole.Child => RoleChild, MemberRole.Network => RoleNetwork, _ => RoleProfessional,
    };

    public string RuleKindName(global::SafetyPlan.BottomLines.RuleKind kind) => kind switch
    {
        global::SafetyPlan.BottomLines.RuleKind.AnyBreach => RuleAnyBreach, global::SafetyPlan.BottomLines.RuleKind.Breaches => RuleBreaches,
        global::SafetyPlan.BottomLines.RuleKind.MissedInARow => RuleMissedInARow, global::SafetyPlan.BottomLines.RuleKind.Silence => RuleSilence,
        _ => RuleConcern,
    };

    public string Evaluation(EvaluationOutcome outcome) => outcome switch
    {
        EvaluationOutcome.Continue => EvalContinue, EvaluationOutcome.Adjust => EvalAdjust, EvaluationOutcome.Close => EvalClose, _ => EvalEscalate,
    };

    public required string SkipToContent { get; init; }
    public required string Navigation { get; init; }
    public required string SignOut { get; init; }
    public required string MemberNav { get; init; }
    public required string DashboardTitle { get; init; }
    public required string SignInTitle { get; init; }
    public required string SignInDevelopmentExplained { get; init; }
    public required string SignInAsPerson { get; init; }
    public required string SignInOther { get; init; }
    public required string SignInUserId { get; init; }
    public required string SignInRoles { get; init; }
    public required string SignInRolesHelp { get; init; }
    public required string SignInOrganisation { get; init; }
    public required string SignInButton { get; init; }
    public required string SignInInvalid { get; init; }
    public required string RoleAuditor { get; init; }
    public required string AccessDeniedTitle { get; init; }
    public required string AccessDeniedText { get; init; }
    public required string MemberTitle { get; init; }
    public required string MemberHello { get; init; }
    public required string MemberNoPlan { get; init; }
    public required string MemberToday { get; init; }
    public required string MemberRecently { get; init; }
    public required string MemberNothingToday { get; init; }
    public required string MemberForYou { get; init; }
    /// <summary>{0}: the agreement's time.</summary>
    public required string ForYouReminder { get; init; }
    /// <summary>{0}: the agreement's time.</summary>
    public required string ForYouSlipped { get; init; }
    public required string RemindersHeading { get; init; }
    public required string RemindersAreOn { get; init; }
    public required string RemindersAreOff { get; init; }
    public required string RemindersTurnOff { get; init; }
    public required string RemindersTurnOn { get; init; }
    public required string ConfirmReminders { get; init; }
    public required string OurPlanHeading { get; init; }
    public required string OurPlanIntro { get; init; }
    public required string OurPlanGoal { get; init; }
    public required string OurPlanOther { get; init; }
    public required string OurPlanNone { get; init; }
    /// <summary>{0}: the responsible member's name.</summary>
    public required string OurPlanWho { get; init; }
    public required string OurPlanYou { get; init; }
    /// <summary>{0}: the schedule in words (Schedule).</summary>
    public required string OurPlanWhen { get; init; }
    public required string OurPlanYouReport { get; init; }
    public required string OurPlanYouWatch { get; init; }
    public required string WeekHeading { get; init; }
    public required string WeekNone { get; init; }
    public required string WeekToCome { get; init; }
    public required string WeekLate { get; init; }
    public required string CalendarHeading { get; init; }
    public required string CalendarExplained { get; init; }
    public required string CalendarSubscribe { get; init; }
    public required string CalendarCopy { get; init; }
    public required string CalendarNoLink { get; init; }
    public required string PushHeading { get; init; }
    public required string PushExplained { get; init; }
    public required string PushTurnOn { get; init; }
    public required string PushTurnOff { get; init; }
    public required string PushAreOn { get; init; }
    public required string PushAreOff { get; init; }
    public required string PushBlocked { get; init; }
    public required string PushUnsupported { get; init; }
    public required string PushFailed { get; init; }
    public required string InstallHint { get; init; }
    public required string DidItHappen { get; init; }
    public required string OutcomeKept { get; init; }
    public required string OutcomePartly { get; init; }
    public required string OutcomeNotKept { get; init; }
    public required string NoteOptional { get; init; }
    public required string StateMissedMember { get; init; }
    public required string OccurrenceOpen { get; init; }
    public required string OccurrenceKept { get; init; }
    public required string OccurrencePartly { get; init; }
    public required string OccurrenceNotKept { get; init; }
    public required string OccurrenceMissed { get; init; }
    public required string ConfirmCheckIn { get; init; }
    public required string ConfirmConcern { get; init; }
    public required string ConfirmRating { get; init; }
    public required string OfflineSaved { get; init; }
    public required string OfflineSent { get; init; }
    /// <summary>A saved report the server refused for good (a 4xx other than 408/429): removed from the phone.</summary>
    public required string OfflineRefused { get; init; }
    public required string ScaleQuestion { get; init; }
    public required string ScaleLegend { get; init; }
    public required string ScaleHelp { get; init; }
    public required string Send { get; init; }
    public required string WorryHeading { get; init; }
    public required string WorryText { get; init; }
    public required string WorrySeverity { get; init; }
    public required string SeverityLow { get; init; }
    public required string SeverityMedium { get; init; }
    public required string SeverityHigh { get; init; }
    public required string WorrySend { get; init; }
    public required string OpenEscalations { get; init; }
    public required string OpenEscalationsShort { get; init; }
    public required string RaisedAt { get; init; }
    public required string AcknowledgeBy { get; init; }
    public required string EscalationStateHeading { get; init; }
    public required string EscalationOpen { get; init; }
    public required string EscalationAcknowledged { get; init; }
    public required string EscalationResolved { get; init; }
    public required string Acknowledge { get; init; }
    public required string Resolve { get; init; }
    public required string ResolveNote { get; init; }
    public required string ConfirmAcknowledged { get; init; }
    public required string ConfirmResolved { get; init; }
    public required string Plans { get; init; }
    public required string NoPlans { get; init; }
    public required string StatusHeading { get; init; }
    public required string PlanHeading { get; init; }
    public required string LastCheckIn { get; init; }
    public required string RecentBreaches { get; init; }
    public required string NextEvaluation { get; init; }
    public required string Never { get; init; }
    public required string EvaluationsComingDue { get; init; }
    public required string NoEvaluationsDue { get; init; }
    public required string Overdue { get; init; }
    public required string StatusRed { get; init; }
    public required string StatusAmber { get; init; }
    public required string UnreachableHeading { get; init; }
    public required string UnreachableNoChannel { get; init; }
    public required string UnreachableEmailRefused { get; init; }
    public required string UnreachablePushGone { get; init; }
    public required string UnreachableBoth { get; init; }
    public required string CallThem { get; init; }
    public required string NoPhoneKnown { get; init; }
    public required string StatusGreen { get; init; }
    public required string StateDraft { get; init; }
    public required string StateActive { get; init; }
    public required string StateClosed { get; init; }
    public required string StateHeading { get; init; }
    public required string TimelineTitle { get; init; }
    public required string PlanPageLink { get; init; }
    public required string AsItStoodHeading { get; init; }
    public required string VersionSlider { get; init; }
    public required string VersionOf { get; init; }
    public required string OrMoment { get; init; }
    public required string Show { get; init; }
    public required string NothingYetAtMoment { get; init; }
    public required string StatusAt { get; init; }
    public required string TamperEvidence { get; init; }
    public required string ChainIntact { get; init; }
    public required string ChainBroken { get; init; }
    public required string Export { get; init; }
    public required string ExportHtml { get; init; }
    public required string ExportJson { get; init; }
    public required string HistoryHeading { get; init; }
    public required string FilterType { get; init; }
    public required string AllTypes { get; init; }
    public required string FilterFrom { get; init; }
    public required string FilterTo { get; init; }
    public required string Filter { get; init; }
    public required string VersionHeading { get; init; }
    public required string WhenHeading { get; init; }
    public required string WhatHeading { get; init; }
    public required string WhoHeading { get; init; }
    public required string Later { get; init; }
    public required string HoursMinutes { get; init; }
    public required string Minutes { get; init; }
    public required string DeadlineCheckIn { get; init; }
    public required string DeadlineSilence { get; init; }
    public required string DeadlineAcknowledge { get; init; }
    public required string DeadlineReminder { get; init; }
    public required string DeadlineEvaluationOverdue { get; init; }
    /// <summary>{0} the agreement's text.</summary>
    public required string DeadlineCheckInReminder { get; init; }
    public required string DeadlinePassToDuty { get; init; }
    public required string DeadlineDelivery { get; init; }
    public required string BreachNotKept { get; init; }
    public required string BreachMissed { get; init; }
    public required string BreachConcern { get; init; }
    public required string SeverityLevelLow { get; init; }
    public required string SeverityLevelMedium { get; init; }
    public required string SeverityLevelHigh { get; init; }
    public required string ComplianceHeading { get; init; }
    public required string Withdrawn { get; init; }
    public required string ComplianceCounts { get; init; }
    public required string ScaleTrendHeading { get; init; }
    public required string EscalationsHeading { get; init; }
    public required string NoEscalations { get; init; }
    public required string BottomLine { get; init; }
    public required string ResponseTime { get; init; }
    public required string NotYet { get; init; }
    public required string PassedToBackup { get; init; }
    public required string PassedToDuty { get; init; }
    public required string BreachesHeading { get; init; }
    public required string NoBreaches { get; init; }
    public required string DeadlinesHeading { get; init; }
    public required string NoDeadlines { get; init; }
    public required string UndeliveredHeading { get; init; }
    /// <summary>{0} how many earlier check-in reminders of settled occurrences did not arrive beyond those listed (Plan.RemindersSettled.Failed).</summary>
    public required string SettledRemindersFailedLine { get; init; }
    /// <summary>{0} when queued, {1} subject, {2} recipient, {3} channel, {4} why (a code such as smtp-550), {5} attempts.</summary>
    public required string NotificationFailedLine { get; init; }
    /// <summary>{0} when queued, {1} subject, {2} recipient, {3} channel, {4} attempts so far, {5} next attempt.</summary>
    public required string NotificationRetryingLine { get; init; }
    public required string ToTheOrganisation { get; init; }
    public required string SubjectEscalationRaised { get; init; }
    public required string SubjectEscalationPassedToBackup { get; init; }
    public required string SubjectEscalationPassedToDuty { get; init; }
    public required string SubjectEvaluationReminder { get; init; }
    public required string SubjectEvaluationOverdue { get; init; }
    public required string SubjectCheckInReminder { get; init; }
    public required string SubjectAgreementSlipped { get; init; }
    public required string SubjectMonitoringHandedOver { get; init; }
    public required string HandoverHeading { get; init; }
    public required string HandoverHelp { get; init; }
    public required string NewMonitorField { get; init; }
    public required string NewBackupField { get; init; }
    /// <summary>The backup field's default: keep the plan's current backup (followed by who, or by <see cref="NoBackupNow"/>).</summary>
    public required string KeepBackupOption { get; init; }
    /// <summary>After <see cref="KeepBackupOption"/> when the plan has no backup.</summary>
    public required string NoBackupNow { get; init; }
    public required string HandoverNoteField { get; init; }
    public required string HandOverButton { get; init; }
    public required string ConfirmHandover { get; init; }
    public required string MonitorsHeading { get; init; }
    /// <summary>{0} the monitor, {1} since when.</summary>
    public required string MonitorSince { get; init; }
    /// <summary>{0} the monitor, {1} from, {2} until.</summary>
    public required string MonitorFromTo { get; init; }

    public string NotificationSubjectName(NotificationSubject subject) => subject switch
    {
        NotificationSubject.EscalationRaised => SubjectEscalationRaised,
        NotificationSubject.EscalationPassedToBackup => SubjectEscalationPassedToBackup,
        NotificationSubject.EscalationPassedToDuty => SubjectEscalationPassedToDuty,
        NotificationSubject.EvaluationReminder => SubjectEvaluationReminder,
        NotificationSubject.EvaluationOverdue => SubjectEvaluationOverdue,
        NotificationSubject.CheckInReminder => SubjectCheckInReminder,
        NotificationSubject.AgreementSlipped => SubjectAgreementSlipped,
        NotificationSubject.MonitoringHandedOver => SubjectMonitoringHandedOver,
        NotificationSubject.ConferenceOverdue => SubjectConferenceOverdue,
    };
    public required string Legend { get; init; }
    public required string ChartKept { get; init; }
    public required string ChartPartly { get; init; }
    public required string ChartNotKept { get; init; }
    public required string ChartMissed { get; init; }
    public required string ChartOpen { get; init; }
    public required string NoOccurrencesYet { get; init; }
    public required string ComplianceChartLabel { get; init; }
    public required string NoRatings { get; init; }
    public required string ScaleChartLabel { get; init; }
    public required string ScaleTable { get; init; }
    public required string MemberHeading { get; init; }
    public required string ScoreHeading { get; init; }
    public required string ScheduleDaily { get; init; }
    public required string ScheduleWeekly { get; init; }
    public required string ScheduleOnce { get; init; }
    public required string NewPlanTitle { get; init; }
    public required string PlanTitleField { get; init; }
    public required string FamilyField { get; init; }
    public required string BackupField { get; init; }
    public required string NewPlanButton { get; init; }
    public required string ConferenceTitle { get; init; }
    public required string ConferenceSaved { get; init; }
    public required string MembersHeading { get; init; }
    public required string NameField { get; init; }
    public required string RoleField { get; init; }
    public required string EmailField { get; init; }
    public required string PhoneField { get; init; }
    public required string AddMember { get; init; }
    public required string GoalsHeading { get; init; }
    public required string DangerField { get; init; }
    public required string GoalField { get; init; }
    public required string AddGoal { get; init; }
    public required string AgreementsHeading { get; init; }
    public required string AddMembersFirst { get; init; }
    public required string AgreementField { get; init; }
    public required string ResponsibleField { get; init; }
    public required string LinkedGoalField { get; init; }
    public required string ScheduleField { get; init; }
    public required string PresetDaily { get; init; }
    public required string PresetWeekly { get; init; }
    public required string PresetOnce { get; init; }
    public required string TimeField { get; init; }
    public required string OnceField { get; init; }
    public required string GraceField { get; init; }
    public required string AddAgreement { get; init; }
    public required string BottomLinesHeading { get; init; }
    public required string BottomLineField { get; init; }
    public required string RuleKindField { get; init; }
    public required string RuleKindHelp { get; init; }
    public required string RuleAgreementField { get; init; }
    public required string RuleCountField { get; init; }
    public required string RuleWithinField { get; init; }
    public required string RuleSilenceField { get; init; }
    public required string RuleSeverityField { get; init; }
    public required string AcknowledgeWithinField { get; init; }
    public required string AddBottomLine { get; init; }
    public required string AgreeHeading { get; init; }
    public required string FirstEvaluationField { get; init; }
    public required string AgreeButton { get; init; }
    public required string RoleParent { get; init; }
    public required string RoleChild { get; init; }
    public required string RoleNetwork { get; init; }
    public required string RoleProfessional { get; init; }
    public required string RuleAnyBreach { get; init; }
    public required string RuleBreaches { get; init; }
    public required string RuleMissedInARow { get; init; }
    public required string RuleSilence { get; init; }
    public required string RuleConcern { get; init; }
    public required string EvaluationHeading { get; init; }
    public required string OutcomeField { get; init; }
    public required string EvalContinue { get; init; }
    public required string EvalAdjust { get; init; }
    public required string EvalClose { get; init; }
    public required string EvalEscalate { get; init; }
    public required string NotesField { get; init; }
    public required string NextEvaluationField { get; init; }
    public required string RecordEvaluationButton { get; init; }
    public required string ConfirmEvaluation { get; init; }
    public required string ConferenceLink { get; init; }
    public required string NewPlanLink { get; init; }

    // The practice around the plan: the referral and the conference in sessions (Conference/).
    public required string SessionsHeading { get; init; }
    public required string NoSessionsYet { get; init; }
    /// <summary>{0} the day held, {1} the members present (names), {2} the professionals present (user ids).</summary>
    public required string SessionLine { get; init; }
    /// <summary>{0} who referred, {1} the day received, {2} the last day the first session is on time.</summary>
    public required string ReferralLine { get; init; }
    public required string HeldOnField { get; init; }
    public required string MembersPresentField { get; init; }
    public required string ProfessionalsPresentField { get; init; }
    public required string ProfessionalsPresentHelp { get; init; }
    public required string SessionNotesField { get; init; }
    public required string RecordSessionButton { get; init; }
    public required string AgreeAtLastSession { get; init; }
    public required string WaitingForConference { get; init; }
    public required string NoPlansWaitingForConference { get; init; }
    /// <summary>{0} the last day the first session is on time.</summary>
    public required string ConferenceDueBy { get; init; }
    public required string DeadlineConferenceOverdue { get; init; }
    public required string SubjectConferenceOverdue { get; init; }
    public required string ConferenceOverdueReason { get; init; }

    // The collaborative case audit (Pages/Plans/CaseAudit) and the referral on the new-plan page.
    public required string CaseAuditsHeading { get; init; }
    /// <summary>{0} the professional, {1} the auditor (user ids), {2} when opened.</summary>
    public required string CaseAuditLine { get; init; }
    public required string CaseAuditOpen { get; init; }
    public required string CaseAuditSigned { get; init; }
    public required string OpenCaseAuditHelp { get; init; }
    public required string AuditProfessionalField { get; init; }
    public required string OpenCaseAuditButton { get; init; }
    public required string CaseAuditTitle { get; init; }
    /// <summary>{0} the revision of the audit's text.</summary>
    public required string CaseAuditRevision { get; init; }
    public required string CaseAuditSignedBy { get; init; }
    public required string PrintInDutch { get; init; }
    public required string PrintInEnglish { get; init; }
    public required string CaseAuditSignedConfirm { get; init; }
    public required string CaseAuditFactsHeading { get; init; }
    public required string FactEscalations { get; init; }
    public required string FactMedianAcknowledge { get; init; }
    public required string FactCompliance { get; init; }
    public required string FactEvaluationsOnTime { get; init; }
    public required string FactConferenceSessions { get; init; }
    public required string FactsPerAgreementHeading { get; init; }
    public required string FactAgreement { get; init; }
    public required string FactWithOutcome { get; init; }
    public required string FactKept { get; init; }
    public required string FactPartly { get; init; }
    public required string FactNotKept { get; init; }
    public required string FactMissed { get; init; }
    public required string FactRate { get; init; }
    public required string FactsPerSessionHeading { get; init; }
    public required string FactProfessionalsPresent { get; init; }
    public required string FactMembersByNumber { get; init; }
    public required string FactsNotRecorded { get; init; }
    public required string NoSessionsHeld { get; init; }
    public required string OpenCaseAuditPageNote { get; init; }
    public required string NoAuditCandidates { get; init; }
    // A team lead's dashboard: the plans whose audit page they may open (Pages/Dashboard).
    public required string TeamAuditsHeading { get; init; }
    public required string TeamAuditsHelp { get; init; }
    public required string NoTeamAudits { get; init; }
    /// <summary>{0} the professionals of the team lead's team on the plan (user ids), {1} the plan's short number.</summary>
    public required string TeamAuditLine { get; init; }
    public required string PracticeQuestionsHeading { get; init; }
    public required string ScoreHelp { get; init; }
    public required string ScoreField { get; init; }
    public required string AuditNoteField { get; init; }
    public required string QuestionColumn { get; init; }
    public required string ReflectionHeading { get; init; }
    public required string ReflectionField { get; init; }
    public required string LearningPointsField { get; init; }
    public required string SaveAuditButton { get; init; }
    public required string SignAuditHeading { get; init; }
    public required string SignAuditHelp { get; init; }
    /// <summary>Above the text the other participant saved while this writer's save was refused (409).</summary>
    public required string SavedMeanwhileHeading { get; init; }
    /// <summary>Under that heading: the refused writer's own text is kept in the form below.</summary>
    public required string YourTextKeptHelp { get; init; }
    /// <summary>In place of the sign button while the form holds a text that was not saved.</summary>
    public required string SignAfterSavingHelp { get; init; }
    public required string YouSignedThisRevision { get; init; }
    public required string SignAuditButton { get; init; }
    public required string ReferralLegend { get; init; }
    public required string ReferralByField { get; init; }
    public required string ReferralReceivedOnField { get; init; }
    public required string ConferenceWithinWeeksField { get; init; }
}
