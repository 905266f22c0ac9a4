using System.Text;
using System.Text.Json;

namespace SafetyPlan.Plans;

/// <summary>
/// Signed whole numbers in base 36 (<c>0-9a-z</c>, a leading <c>-</c> where negative), as the plan document's logs write
/// ticks and places (<see cref="BreachLogJson"/>, <see cref="DeliveryLogJson"/>): a day in ticks is 8 characters.
/// </summary>
internal static class Base36
{
    private const string Digits = "0123456789abcdefghijklmnopqrstuvwxyz";

    /// <summary>Appends <paramref name="value"/>; <see cref="long.MinValue"/> has no form and throws a <see cref="JsonException"/>.</summary>
    public static StringBuilder Append(StringBuilder log, long value)
    {
        if (value == 0) return log.Append('0');
        if (value == long.MinValue) throw new JsonException("A number in a plan document's log is out of range.");
        if (value < 0) log.Append('-');
        Span<char> digits = stackalloc char[13];
        var i = digits.Length;
        var rest = Math.Abs(value);
        while (rest > 0)
        {
            digits[--i] = Digits[(int)(rest % 36)];
            rest /= 36;
        }
        return log.Append(digits[i..]);
    }

    /// <summary>The number <paramref name="text"/> holds; a <see cref="JsonException"/> naming <paramref name="entry"/> when it holds none, an <see cref="OverflowException"/> when it is too large.</summary>
    public static long Number(ReadOnlySpan<char> text, string entry)
    {
        var negative = text.StartsWith("-");
        var digits = negative ? text[1..] : text;
        if (digits.Length == 0) throw new JsonException($"A number is missing in '{entry}'.");
        var value = 0L;
        foreach (var c in digits)
        {
            var digit = Digits.IndexOf(c);
            if (digit < 0) throw new JsonException($"'{text}' is not a base-36 number in '{entry}'.");
            value = checked(value * 36 + digit);
        }
        return negative ? -value : value;
    }
}
