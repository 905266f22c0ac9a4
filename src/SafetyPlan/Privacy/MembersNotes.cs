namespace SafetyPlan.Privacy;

/// <summary>
/// Members' free text (check-in notes, rating notes, concern texts) is for professionals only. Every other reader of
/// events (auditors in the history and the case file; members never read events but their own export) sees that a note
/// was there, not what it says. Decided in docs/security.md, "Privacy and retention".
/// </summary>
public static class MembersNotes
{
    public const string Withheld = "[alleen voor professionals / professionals only]";

    public static object ForReader(object data, Caller caller) => CaseAudits.CaseAuditGuards.ForReader(data, caller) is var shown && caller.IsProfessional
        ? shown
        : shown switch
        {
            CheckInLogged { Note: not null } e => e with { Note = Withheld },
            SafetyRated { Note: not null } e => e with { Note = Withheld },
            ConcernRaised e => e with { Text = Withheld },
            _ => shown,
        };
}
