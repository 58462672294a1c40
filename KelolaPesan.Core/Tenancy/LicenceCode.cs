using KelolaPesan.Core.Security;

namespace KelolaPesan.Core.Tenancy;

/// <summary>
/// A licence code <c>KPL-PPPPPPPP-SSSSSSSSSSSSSSSS</c>: an 8-character visible prefix used to find the licence
/// and a 16-character secret (80 bits). Only the prefix and the SHA-256 of the whole code are stored.
/// </summary>
public sealed record LicenceCode(string Code, string Prefix)
{
    public const string Scheme = "KPL";
    public const int PrefixLength = 8;
    public const int SecretLength = 16;

    public static LicenceCode Generate()
    {
        var prefix = RandomCode.Create(PrefixLength);
        return new LicenceCode($"{Scheme}-{prefix}-{RandomCode.Create(SecretLength)}", prefix);
    }

    public byte[] Hash => SecretHash.Compute(Code);

    /// <summary>Reads what a user typed: case, spaces and missing dashes are forgiven.</summary>
    public static LicenceCode? TryParse(string? input)
    {
        if (string.IsNullOrWhiteSpace(input))
            return null;
        var compact = new string(input.Where(char.IsLetterOrDigit).ToArray()).ToUpperInvariant();
        if (compact.Length != Scheme.Length + PrefixLength + SecretLength || !compact.StartsWith(Scheme, StringComparison.Ordinal))
            return null;
        var prefix = compact.Substring(Scheme.Length, PrefixLength);
        var secret = compact[(Scheme.Length + PrefixLength)..];
        return new LicenceCode($"{Scheme}-{prefix}-{secret}", prefix);
    }
}
