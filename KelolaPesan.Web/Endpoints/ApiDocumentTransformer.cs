using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace KelolaPesan.Web.Endpoints;

/// <summary>Describes the API and its bearer security scheme (API keys <c>kp_&lt;prefix&gt;_&lt;secret&gt;</c>).</summary>
public sealed class ApiDocumentTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Kelola Pesan API",
            Version = "v1",
            Description = "Send WhatsApp messages and broadcasts, manage contacts and validate numbers for your workspaces. "
                + "Authenticate with `Authorization: Bearer kp_<prefix>_<secret>` (create keys in Settings > API). "
                + "Errors are RFC 7807 problem details. POST /api/v1/messages honours an `Idempotency-Key` header. "
                + "Outgoing webhooks are signed: `X-Kelola-Signature: sha256=<hex HMAC-SHA256 of \"<X-Kelola-Timestamp>.<body>\">`.",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["Bearer"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "kp_<prefix>_<secret>",
            Description = "An API key of your tenant.",
        };
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", document)] = [] });
        return Task.CompletedTask;
    }
}
