using System.Text.Json.Nodes;
using SafetyPlan.Audit;

namespace SafetyPlan.Privacy;

/// <param name="OriginalChainVerified">the original chain was recomputed and intact just before masking (the pass masks nothing otherwise)</param>
public sealed record ChainMasking(
    DateTimeOffset At, long MaskedUpToVersion, string OriginalChainHead, string MaskedChainHead, bool OriginalChainVerified);

/// <summary>
/// Verifies a plan's chain, masked or not. Unmasked events are checked as always: header <c>hash</c> links the stored
/// content to the previous event's hash. Once personal data is masked, events 1..n can no longer reproduce their
/// original hashes; each carries <c>hash.masked</c>, the same chain over its masked content. The
/// <see cref="Plans.PersonalDataMasked"/> event (n+1) records both heads and is linked by <c>hash</c> to the recorded
/// original head; the masked chain must end exactly at the recorded masked head. The original hashes of events 1..n
/// are removed with their personal data (they would let someone confirm a guess of a masked text). So editing,
/// removing or inserting a masked event, un-marking one, or editing the record breaks the check, and events after
/// masking stay chained as before.
/// </summary>
public static class MaskedChain
{
    /// <summary>Marten's stored type name of <see cref="Plans.PersonalDataMasked"/>.</summary>
    public const string MaskedTypeName = "personal_data_masked";

    public static ChainVerification Check(Guid planId, IReadOnlyList<StoredLink> links)
    {
        var original = HashChain.Genesis;
        var masked = HashChain.Genesis;
        var maskedEvents = 0;
        ChainMasking? masking = null;
        ChainVerification Broken(StoredLink at, int count) => new(planId, false, count, at.Sequence, at.Version, masking);

        for (var i = 0; i < links.Count; i++)
        {
            var link = links[i];
            if (link.Version != i + 1) return Broken(link, i + 1);
            if (link.MaskedHash is not null)
            {
                // Masked events come first, as one run, before the single PersonalDataMasked event.
                if (masking is not null || maskedEvents != i) return Broken(link, i + 1);
                masked = HashChain.Link(masked, planId, link.Version, link.Type, link.Json);
                if (masked != link.MaskedHash) return Broken(link, i + 1);
                maskedEvents++;
                continue;
            }

            if (link.Type == MaskedTypeName)
            {
                // The original hashes of masked events are removed with their data; the record holds the original head.
                var record = Read(link.Json);
                if (masking is not null || record is null || maskedEvents == 0 || record.MaskedUpToVersion != maskedEvents
                    || record.MaskedChainHead != masked)
                    return Broken(link, i + 1);
                original = record.OriginalChainHead;
                masking = record;
            }
            else if (maskedEvents > 0 && masking is null)
            {
                return Broken(link, i + 1);
            }
            var computed = link.Link(original, planId);
            if (computed != link.Hash) return Broken(link, i + 1);
            original = computed;
        }

        // Masked events with no PersonalDataMasked after them: the masking record was removed.
        if (maskedEvents > 0 && masking is null) return Broken(links[maskedEvents - 1], links.Count);
        return new ChainVerification(planId, true, links.Count, null, null, masking);
    }

    private static ChainMasking? Read(string json)
    {
        try
        {
            var data = JsonNode.Parse(json)!;
            return new ChainMasking(
                data["at"]!.GetValue<DateTimeOffset>(), data["maskedUpToVersion"]!.GetValue<long>(),
                data["originalChainHead"]!.GetValue<string>(), data["maskedChainHead"]!.GetValue<string>(), true);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or NullReferenceException or FormatException)
        {
            return null;
        }
    }
}
