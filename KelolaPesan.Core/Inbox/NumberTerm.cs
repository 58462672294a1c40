using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Core.Inbox;

/// <summary>
/// A search term that is a phone number, or part of one, as index ranges over the stored E.164 number
/// (<c>+628123456789</c>) and its reversed copy: the number starts with what was typed ("0812 3456" and
/// "+62 812-3456" are the same start; "812 3456" is read as the national number after +62), or ends with it
/// ("6789", the last digits). A run of digits from the middle of a number is not a match (docs/adr/0006-inbox-search.md).
/// </summary>
/// <param name="Start">[from, to) of numbers starting with the digits, a leading 0 read as the country code 62.</param>
/// <param name="National">[from, to) of numbers starting with +62 and the digits as typed, when they have no 0 or 62 in front.</param>
/// <param name="End">[from, to) of reversed numbers starting with the reversed digits: numbers ending with them.</param>
internal sealed record NumberTerm((string From, string To) Start, (string From, string To)? National, (string From, string To) End)
{
    /// <summary>Fewer digits match too many numbers to be meant as one.</summary>
    public const int MinDigits = 3;

    // The tenant's region is Indonesia for now (PhoneNormalizer's default): a leading 0 is the trunk prefix of +62.
    private const string CountryCode = "62";

    public static NumberTerm? Parse(string search)
    {
        if (!search.All(ch => char.IsAsciiDigit(ch) || ch is ' ' or '+' or '-' or '(' or ')' or '.'))
            return null;
        var digits = string.Concat(search.Where(char.IsAsciiDigit));
        if (digits.Length < MinDigits)
            return null;
        var start = digits.StartsWith('0') ? CountryCode + digits[1..] : digits;
        var national = digits.StartsWith('0') || digits.StartsWith(CountryCode) || search.TrimStart().StartsWith('+')
            ? ((string, string)?)null
            : Prefix("+" + CountryCode + digits);
        // The last digits as typed: "0789" may well end a number, so no trunk-prefix mapping here.
        var reversed = new string(digits.Reverse().ToArray());
        return new NumberTerm(Prefix("+" + start), national, Prefix(reversed));
    }

    /// <summary>The chats whose number matches, one index range each on (TenantId, PhoneNumber) or (TenantId, PhoneNumberReversed).</summary>
    public IEnumerable<Expression<Func<Chat, bool>>> Ranges()
    {
        var (startFrom, startTo) = Start;
        yield return c => string.Compare(c.PhoneNumber, startFrom) >= 0 && string.Compare(c.PhoneNumber, startTo) < 0;
        if (National is { } national)
        {
            var (nationalFrom, nationalTo) = national;
            yield return c => string.Compare(c.PhoneNumber, nationalFrom) >= 0 && string.Compare(c.PhoneNumber, nationalTo) < 0;
        }
        var (endFrom, endTo) = End;
        yield return c => string.Compare(EF.Property<string?>(c, Chat.PhoneNumberReversedColumn), endFrom) >= 0
                          && string.Compare(EF.Property<string?>(c, Chat.PhoneNumberReversedColumn), endTo) < 0;
    }

    /// <summary>
    /// [prefix, next) where next is the smallest string above every string starting with the prefix: its last digit
    /// below 9 raised by one (62819 -> 6282). Every stored character is a digit or '+', so the bound is the same under
    /// SQLite's binary order and SQL Server's collations.
    /// </summary>
    private static (string, string) Prefix(string prefix)
    {
        var head = prefix.TrimEnd('9');
        if (head.Length == 0 || !char.IsAsciiDigit(head[^1]))
            // All nines ("999" typed as the last digits): ':' follows '9' in SQLite's binary order.
            return (prefix, prefix + ":");
        return (prefix, head[..^1] + (char)(head[^1] + 1));
    }
}
