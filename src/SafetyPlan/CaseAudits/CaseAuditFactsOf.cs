using SafetyPlan.Reports;

namespace SafetyPlan.CaseAudits;

/// <summary>
/// The facts of a case audit, computed from a plan's events in stream order (../shared/domain.md, "The practice around
/// the plan": "the facts come from the history"). Pure: the same events give the same facts, whatever happens later.
/// </summary>
public static class CaseAuditFactsOf
{
    /// <summary>
    /// The facts over <paramref name="events"/> (the event data of one plan's stream, oldest first, up to the moment asked):
    /// <list type="bullet">
    /// <item><c>escalations</c>: the number of <see cref="EscalationRaised"/>;</item>
    /// <item><c>medianAcknowledgeMinutes</c>: the median of the minutes from each escalation's raising to its first
    /// <see cref="EscalationAcknowledged"/> (the mean of the middle two for an even count), over acknowledged escalations,
    /// rounded to 0.1; null when none was acknowledged;</item>
    /// <item><c>complianceRate</c>: kept / occurrences with an outcome, each occurrence of an agreement counted once by its
    /// last word (a check-in, a correction or a late check-in replaces what came before; <see cref="CheckInMissed"/> only
    /// while nothing was reported), rounded to 0.001; the same outcomes the plan status counts per agreement; null when none;</item>
    /// <item><c>evaluationsOnTime</c> of <c>evaluations</c>: <see cref="EvaluationRecorded"/> on or before (as a date in the plan's
    /// zone) the evaluation date in force then (set by <see cref="PlanAgreed"/> and each evaluation's next date);</item>
    /// <item><c>conferenceSessions</c>: the number of <see cref="ConferenceSessionHeld"/>;</item>
    /// <item><c>complianceByAgreement</c>: per agreement made (<see cref="AgreementMade"/>, in that order, withdrawn ones
    /// too), its occurrences by their last word as for <c>complianceRate</c>, so that the agreements' counts add up to it;
    /// an agreement without outcomes has zero counts and a null rate;</item>
    /// <item><c>conferenceAttendance</c>: per <see cref="ConferenceSessionHeld"/>, its date and who was present (not its notes), by date (a session recorded later for an earlier day comes first; the same day cannot hold two).</item>
    /// </list>
    /// </summary>
    public static CaseAuditFacts Of(IEnumerable<object> events)
    {
        var raised = new Dictionary<Guid, DateTimeOffset>();
        var acknowledged = new Dictionary<Guid, double>();
        var occurrences = new Dictionary<(Guid Agreement, DateTimeOffset Occurrence), OccurrenceState>();
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");
        DateOnly? due = null;
        var (evaluations, onTime) = (0, 0);
        var agreements = new List<(Guid Id, string Title)>();
        var sessions = new List<ConferenceAttendance>();
        foreach (var data in events)
        {
            switch (data)
            {
                case PlanDrafted e: zone = TimeZoneInfo.FindSystemTimeZoneById(e.TimeZone); break;
                case PlanAgreed e: due = e.EvaluationDue; break;
                case AgreementMade e: agreements.Add((e.AgreementId, e.Text)); break;
                case EscalationRaised e: raised[e.EscalationId] = e.At; break;
                case EscalationAcknowledged e when raised.TryGetValue(e.EscalationId, out var at) && !acknowledged.ContainsKey(e.EscalationId):
                    acknowledged[e.EscalationId] = (e.At - at).TotalMinutes;
                    break;
                case CheckInLogged e:
                    occurrences[(e.AgreementId, e.Occurrence)] = e.Outcome switch
                    {
                        CheckInOutcome.Kept => OccurrenceState.Kept,
                        CheckInOutcome.Partly => OccurrenceState.Partly,
                        _ => OccurrenceState.NotKept,
                    };
                    break;
                case CheckInMissed e: occurrences.TryAdd((e.AgreementId, e.Occurrence), OccurrenceState.Missed); break;
                case EvaluationRecorded e:
                    evaluations++;
                    if (due is { } inForce && DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(e.At, zone).DateTime) <= inForce) onTime++;
                    due = e.NextEvaluationDue;
                    break;
                case ConferenceSessionHeld e: sessions.Add(new ConferenceAttendance(e.SessionId, e.HeldOn, [.. e.MembersPresent], [.. e.ProfessionalsPresent])); break;
            }
        }
        // An outcome for an agreement not made in this history cannot happen through the commands; it still counts once.
        foreach (var unknown in occurrences.Keys.Select(k => k.Agreement).Distinct().Where(id => agreements.All(a => a.Id != id)).ToList())
            agreements.Add((unknown, ""));
        var byAgreement = occurrences.ToLookup(o => o.Key.Agreement, o => o.Value);
        var perAgreement = agreements.Select(a => PerAgreement(a.Id, a.Title, byAgreement[a.Id])).ToList();
        return new CaseAuditFacts(raised.Count, Median(acknowledged.Values), Rate(occurrences.Values), onTime, evaluations, sessions.Count,
            perAgreement, sessions.OrderBy(s => s.HeldOn).ToList());
    }

    private static AgreementCompliance PerAgreement(Guid id, string title, IEnumerable<OccurrenceState> outcomes)
    {
        var all = outcomes.ToList();
        int Count(OccurrenceState state) => all.Count(o => o == state);
        return new AgreementCompliance(id, title, all.Count, Count(OccurrenceState.Kept), Count(OccurrenceState.Partly),
            Count(OccurrenceState.NotKept), Count(OccurrenceState.Missed), Rate(all));
    }

    private static double? Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0) return null;
        var middle = sorted.Count / 2;
        var median = sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return Math.Round(median, 1, MidpointRounding.AwayFromZero);
    }

    private static double? Rate(IEnumerable<OccurrenceState> outcomes)
    {
        var all = outcomes.ToList();
        return all.Count == 0 ? null : Math.Round((double)all.Count(o => o == OccurrenceState.Kept) / all.Count, 3, MidpointRounding.AwayFromZero);
    }
}
