using System.Globalization;
using System.Resources;

namespace KelolaPesan.Core.Accounts;

/// <summary>
/// Messages of the account and team rules (Accounts/AccountText.resx is Bahasa Indonesia, .en.resx English), read in the
/// current UI culture when a rule fails, so the same validator speaks the user's language in the UI and in any API.
/// </summary>
public static class AccountText
{
    private static readonly ResourceManager Resources = new("KelolaPesan.Core.Accounts.AccountText", typeof(AccountText).Assembly);

    public static string Get(string name) => Resources.GetString(name, CultureInfo.CurrentUICulture) ?? name;

    public static string Format(string name, params object[] args) => string.Format(CultureInfo.CurrentCulture, Get(name), args);
}
