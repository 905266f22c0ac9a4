using System.Security.Cryptography;
using System.Text;

namespace SafetyPlan.Decisions;

/// <summary>
/// Ids that follow from other ids (a name-based UUID, RFC 9562 version 5), so that a decision stays pure and a re-run
/// of the same decision produces the same ids: a breach from its check-in, an escalation from its breach and bottom line.
/// </summary>
public static class DerivedId
{
    public static Guid From(Guid source, string purpose)
    {
        Span<byte> input = stackalloc byte[16 + Encoding.UTF8.GetMaxByteCount(purpose.Length)];
        source.TryWriteBytes(input, bigEndian: true, out _);
        var length = 16 + Encoding.UTF8.GetBytes(purpose, input[16..]);
        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(input[..length], hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }

    public static Guid From(Guid first, Guid second, string purpose) => From(From(first, purpose), second.ToString("N"));
}
