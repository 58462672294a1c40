using System.Security.Claims;
using KelolaPesan.Core.Accounts;
using KelolaPesan.Core.Tenancy;

namespace KelolaPesan.Web.Accounts;

/// <summary>
/// The signed-in user of this scope (HTTP request or Blazor circuit), read from the cookie's claims.
/// Setting it also sets the scope's tenant context, which the database filters read.
/// </summary>
public sealed class CurrentUser(TenantContext tenant)
{
    public const string TenantIdClaim = "kp:tenant";
    public const string AgencyIdClaim = "kp:agency";
    public const string SecurityStampClaim = "kp:stamp";

    public ClaimsPrincipal Principal { get; private set; } = new(new ClaimsIdentity());
    public bool IsAuthenticated => Principal.Identity?.IsAuthenticated == true;
    public Guid UserId { get; private set; }
    public string DisplayName { get; private set; } = "";
    public string Role { get; private set; } = "";
    public Guid? TenantId { get; private set; }
    public Guid? AgencyId { get; private set; }

    public bool IsAdmin => Role == Roles.Admin;
    public bool IsManager => Role is Roles.Owner or Roles.Manager;
    public UserRole? TenantRole => Enum.TryParse<UserRole>(Role, out var r) ? r : null;

    public void Set(ClaimsPrincipal principal)
    {
        Principal = principal;
        Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId);
        UserId = userId;
        DisplayName = principal.FindFirstValue(ClaimTypes.Name) ?? "";
        Role = principal.FindFirstValue(ClaimTypes.Role) ?? "";
        TenantId = Guid.TryParse(principal.FindFirstValue(TenantIdClaim), out var t) ? t : null;
        AgencyId = Guid.TryParse(principal.FindFirstValue(AgencyIdClaim), out var a) ? a : null;

        if (!IsAuthenticated)
            tenant.Clear();
        else if (IsAdmin)
            tenant.SetSystem();
        else if (TenantId is { } tenantId)
            tenant.SetTenant(tenantId);
        else
            tenant.Clear();
    }

    public static ClaimsPrincipal CreatePrincipal(SignedInUser user, string authenticationType)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, user.UserId.ToString()),
            new(ClaimTypes.Name, user.DisplayName),
            new(ClaimTypes.Role, user.Role),
        };
        if (user.TenantId is { } tenantId)
            claims.Add(new Claim(TenantIdClaim, tenantId.ToString()));
        if (user.AgencyId is { } agencyId)
            claims.Add(new Claim(AgencyIdClaim, agencyId.ToString()));
        claims.Add(new Claim(SecurityStampClaim, user.SecurityStamp));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType, ClaimTypes.Name, ClaimTypes.Role));
    }

    /// <summary>What a signed-in principal claims, for <see cref="AccessValidator"/>; null when it is anonymous or not one of ours.</summary>
    public static AccessTicket? TicketOf(ClaimsPrincipal principal) =>
        principal.Identity?.IsAuthenticated == true && Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id)
            ? new AccessTicket(id, principal.IsInRole(Roles.Admin), principal.FindFirstValue(SecurityStampClaim) ?? "")
            : null;
}
