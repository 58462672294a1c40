using System.Globalization;
using KelolaPesan.Web.Endpoints;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Scalar.AspNetCore;

namespace KelolaPesan.Web;

/// <summary>The external REST API (issue 10): API-key scheme, per-key rate limit, body size limit, OpenAPI + Scalar.</summary>
public static class ExternalApiSetup
{
    public const string RateLimitPolicy = "api-key";
    public const long MaxRequestBytes = 1_000_000;
    private const string DocumentRoute = "/api/openapi/{documentName}.json";

    public static IServiceCollection AddExternalApi(this IServiceCollection services, IConfiguration config)
    {
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new NoNulStrings());
            // A field the endpoint does not have is refused, not ignored: "scheduledAt" for "scheduledLocal" created a
            // broadcast that went out at once (QA).
            o.SerializerOptions.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow;
        });
        // A body that does not bind answers a bare 400 in every environment; the API pipeline gives it its problem.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = false);
        services.AddAuthentication()
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder().AddPolicy(ApiKeyAuthenticationHandler.Policy, p => p
            .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
            .RequireAuthenticatedUser()
            .RequireClaim(ApiKeyAuthenticationHandler.RestApiClaim, "true"));

        services.AddSingleton(new ApiRateLimit(config.GetValue("Api:RateLimit:PermitsPerMinute", 120)));

        services.AddOpenApi("v1", o =>
        {
            o.ShouldInclude = d => d.RelativePath?.StartsWith("api/v1", StringComparison.OrdinalIgnoreCase) == true;
            o.AddDocumentTransformer<ApiDocumentTransformer>();
        });
        services.AddHostedService<OutgoingWebhookWorker>();
        return services;
    }

    /// <summary>After UseAuthorization: the rate limit counts per key the API scheme authenticated.</summary>
    /// <summary>Messages follow the codes (docs/api-error-codes.md) in English, or Indonesian when the client asks for it.</summary>
    public static void UseRequestedLanguage(HttpContext context)
    {
        var language = context.Request.GetTypedHeaders().AcceptLanguage.OrderByDescending(l => l.Quality ?? 1)
            .Select(l => l.Value.Value).FirstOrDefault(l => l is not null && (l.StartsWith("id", StringComparison.OrdinalIgnoreCase) || l.StartsWith("en", StringComparison.OrdinalIgnoreCase)));
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = DependencyInjection.Culture(language?.StartsWith("id", StringComparison.OrdinalIgnoreCase) == true ? "id" : "en");
    }

    public static WebApplication UseExternalApi(this WebApplication app)
    {
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/api/v1"), api => api.Use(async (context, next) =>
        {
            UseRequestedLanguage(context);
            if (context.Request.ContentLength > MaxRequestBytes)
            {
                await TooLarge().ExecuteAsync(context);
                return;
            }
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
                limit.MaxRequestBodySize = MaxRequestBytes;
            // A body without a declared length (chunked) is counted as it is read, and stops at the limit.
            var counted = context.Request.ContentLength is null ? new ApiBodyLimit(context.Request.Body, MaxRequestBytes) : null;
            if (counted is not null)
                context.Request.Body = counted;
            // The body is read again after binding for its fingerprint (ApiIdempotencyRecord.Fingerprint).
            if (context.Request.Headers.ContainsKey(ApiIdempotency.Header))
                context.Request.EnableBuffering();
            await next();
            if (context.Response.HasStarted)
                return;
            if (counted?.Exceeded == true || context.Response is { StatusCode: StatusCodes.Status413PayloadTooLarge, ContentType: null })
                await TooLarge().ExecuteAsync(context);
            // A body the endpoint could not bind (malformed JSON, a wrong type, an unknown field, NUL): the framework
            // answers 400 with nothing in it.
            else if (context.Response is { StatusCode: StatusCodes.Status400BadRequest, ContentType: null })
                await Core.Common.Problem.Of("Api_InvalidBody").ToApiProblem(StatusCodes.Status400BadRequest).ExecuteAsync(context);
        }));
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/api/v1"), api => api.UseMiddleware<ApiRateLimitMiddleware>());
        return app;
    }

    private static IResult TooLarge() => Core.Common.Problem.Of("Api_BodyTooLarge", MaxRequestBytes).ToApiProblem(StatusCodes.Status413PayloadTooLarge);

    public static WebApplication MapExternalApi(this WebApplication app)
    {
        var v1 = app.MapGroup("/api/v1")
            .RequireAuthorization(ApiKeyAuthenticationHandler.Policy)
            .DisableAntiforgery()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        v1.MapWorkspacesApi();
        v1.MapMessagesApi();
        v1.MapChatsApi();
        v1.MapContactsRestApi();
        v1.MapNumberValidationApi();
        v1.MapBroadcastsRestApi();

        app.MapOpenApi(DocumentRoute);
        app.MapScalarApiReference("/api/docs", o => o
            .WithTitle("Kelola Pesan API")
            .WithOpenApiRoutePattern(DocumentRoute));
        return app;
    }
}
