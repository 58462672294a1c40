using System.Collections.Concurrent;
using KelolaPesan.Core.Common;
using PhoneNumbers;

namespace KelolaPesan.Core.Contacts;

/// <summary>
/// Turns a phone number as people type it (or as Excel stored it) into E.164. The region is the tenant's
/// default (<c>ID</c>): <c>0812...</c>, <c>62812...</c>, <c>+62 812-...</c> and <c>812...</c> all become <c>+62812...</c>.
/// </summary>
public static class PhoneNormalizer
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();
    private static readonly ConcurrentDictionary<string, int> CallingCodes = new(StringComparer.OrdinalIgnoreCase);

    public static PhoneResult Normalize(string? raw, string region)
    {
        if (string.IsNullOrWhiteSpace(raw))
            return PhoneResult.Fail(PhoneError.Empty);

        var text = raw.Trim();
        if (text.Length > NumberMaxInputLength)
            return PhoneResult.Fail(PhoneError.TooLong);

        // Excel sometimes hands a number back as "8.1234567890E10" or "81234567890.0".
        if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var asNumber)
            && (text.Contains('E') || text.Contains('e') || text.EndsWith(".0", StringComparison.Ordinal))
            && asNumber is > 0 and < 1e16 && asNumber == Math.Floor(asNumber))
            text = ((long)asNumber).ToString(System.Globalization.CultureInfo.InvariantCulture);

        if (text.Any(char.IsLetter) && !text.Contains("ext", StringComparison.OrdinalIgnoreCase))
            return PhoneResult.Fail(PhoneError.NotANumber);

        var digits = new System.Text.StringBuilder(text.Length);
        foreach (var c in text)
            if (char.IsAsciiDigit(c)) digits.Append(c);
        if (digits.Length == 0)
            return PhoneResult.Fail(PhoneError.NotANumber);

        region = string.IsNullOrWhiteSpace(region) ? "ID" : region.ToUpperInvariant();
        var callingCode = CallingCodes.GetOrAdd(region, r => Util.GetCountryCodeForRegion(r));
        var code = callingCode.ToString(System.Globalization.CultureInfo.InvariantCulture);

        // Without a '+', a number that already starts with the region's calling code ("62812...") is international;
        // "00" is the international prefix. Everything else is national ("0812...", or "812..." when Excel ate the 0).
        string candidate;
        var d = digits.ToString();
        if (text.StartsWith('+'))
            candidate = "+" + d;
        else if (d.StartsWith("00", StringComparison.Ordinal))
            candidate = "+" + d[2..];
        else if (d.StartsWith(code, StringComparison.Ordinal) && !d.StartsWith("0", StringComparison.Ordinal) && d.Length > code.Length + 7)
            candidate = "+" + d;
        else
            candidate = d;

        PhoneNumber number;
        try
        {
            number = Util.Parse(candidate, region);
        }
        catch (NumberParseException ex)
        {
            return PhoneResult.Fail(ex.ErrorType is ErrorType.TOO_LONG or ErrorType.TOO_SHORT_NSN or ErrorType.TOO_SHORT_AFTER_IDD
                ? PhoneError.WrongLength : PhoneError.NotANumber);
        }

        // A national number that lost its trunk 0 (Excel): libphonenumber parses "812..." fine for ID; check validity.
        if (!Util.IsValidNumber(number))
        {
            if (!candidate.StartsWith('+') && !d.StartsWith('0'))
            {
                try
                {
                    var withZero = Util.Parse("0" + d, region);
                    if (Util.IsValidNumber(withZero))
                        return PhoneResult.Ok(Util.Format(withZero, PhoneNumberFormat.E164));
                }
                catch (NumberParseException)
                {
                }
            }
            return PhoneResult.Fail(Util.IsPossibleNumber(number) ? PhoneError.Invalid : PhoneError.WrongLength);
        }

        var e164 = Util.Format(number, PhoneNumberFormat.E164);
        return e164.Length > Contact.PhoneMaxLength ? PhoneResult.Fail(PhoneError.TooLong) : PhoneResult.Ok(e164);
    }

    public const int NumberMaxInputLength = 40;

    /// <summary>The reason in the current UI culture (English in the API, the user's language on pages).</summary>
    public static string Describe(PhoneError error) => ProblemText.Get(Code(error));

    /// <summary>The stable error code of a <see cref="PhoneError"/> (a key of ProblemText).</summary>
    public static string Code(PhoneError error) => error switch
    {
        PhoneError.Empty => "Phone_Empty",
        PhoneError.NotANumber => "Phone_NotANumber",
        PhoneError.WrongLength => "Phone_WrongLength",
        PhoneError.TooLong => "Phone_TooLong",
        _ => "Phone_Invalid",
    };
}

public enum PhoneError { None = 0, Empty, NotANumber, WrongLength, Invalid, TooLong }

public readonly record struct PhoneResult(string? E164, PhoneError Error)
{
    public bool IsValid => E164 is not null;
    public string Reason => PhoneNormalizer.Describe(Error);
    public static PhoneResult Ok(string e164) => new(e164, PhoneError.None);
    public static PhoneResult Fail(PhoneError error) => new(null, error);
}
