using KelolaPesan.Core.Accounts;
using KelolaPesan.Web.Accounts;

namespace KelolaPesan.Web.Components.Shared;

/// <summary>Where "home" is for each kind of user: "/" is the tenant dashboard, which admins and agency owners may not open.</summary>
public static class HomePath
{
    public static string For(CurrentUser user) =>
        user.IsAdmin ? "/admin"
        : user.TenantRole == UserRole.AgencyOwner ? "/agency"
        : user.IsAuthenticated ? "/"
        : "/account/login";
}
