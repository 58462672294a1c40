namespace KelolaPesan.Tests.Accounts;

/// <summary>The demo data the app seeds at start in Development.</summary>
public static class DemoAccounts
{
    public const string LicenceCode = "KPL-DEMOTOKO-7QH4X9M2KD5RVW8P";

    public const string OwnerUserName = "pemilik";
    public const string OwnerPassword = "Pemilik123!";

    public const string AgentUserName = "agen";
    public const string AgentPassword = "Agen123!";

    public const string AdminEmail = "admin@kelolapesan.local";
    public const string AdminPassword = "Admin123!demo";
}
