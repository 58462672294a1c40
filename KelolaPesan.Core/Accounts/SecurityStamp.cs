using KelolaPesan.Core.Security;

namespace KelolaPesan.Core.Accounts;

/// <summary>A random value stored on every account and copied into its cookie; a new one ends every older session.</summary>
public static class SecurityStamp
{
    public const int MaxLength = 32;

    public static string New() => RandomCode.Create(26);
}
