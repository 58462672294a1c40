using KelolaPesan.Core.Audit;

namespace KelolaPesan.Web.Endpoints;

/// <summary>Records an API write in the audit log with the key (name and prefix) as the actor.</summary>
public static class ApiAudit
{
    public static Task AuditAsync(this HttpContext http, string action, string targetType, Guid targetId, string? details = null)
    {
        var caller = http.ApiCaller();
        // Not the request's token: a write that happened is recorded even if the client went away meanwhile.
        return http.RequestServices.GetRequiredService<AuditLog>().WriteAsync(action, caller.AuditActor(http.Connection.RemoteIpAddress?.ToString()),
            caller.TenantId, targetType, targetId.ToString(), details, CancellationToken.None);
    }
}
