using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.ExternalApi;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KelolaPesan.Web.Endpoints;

/// <summary>Contacts of one workspace; the tenant filter and the key's scope make other ids answer 404.</summary>
public static class ContactsRestApi
{
    public const int MaxPageSize = 200;

    public static RouteGroupBuilder MapContactsRestApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/workspaces/{workspaceId:guid}").WithTags("Contacts")
            .AddEndpointFilter(async (context, next) =>
            {
                // Every route here names a workspace: outside the key's scope or tenant it does not exist.
                var http = context.HttpContext;
                var workspaceId = Guid.Parse((string)http.Request.RouteValues["workspaceId"]!);
                var directory = http.RequestServices.GetRequiredService<ApiDirectory>();
                return await directory.SeesWorkspaceAsync(http.ApiCaller(), workspaceId, http.RequestAborted)
                    ? await next(context) : ApiProblems.NotFound("Workspace_NotFound");
            });
        group.MapGet("/contacts", ListAsync).WithName("ListContacts")
            .WithSummary("Contacts, paged (page from 1, pageSize up to 200), filtered by search text and list");
        group.MapGet("/contacts/{id:guid}", GetAsync).WithName("GetContact");
        group.MapPost("/contacts", CreateAsync).WithName("CreateContact")
            .WithDescription("""Example: `{"name":"Ani","phone":"081234567890","email":"ani@example.com","fields":{"kota":"Bandung"}}`.""" + "\n" + ApiIdempotency.Description)
            .WithIdempotencyKey();
        group.MapPut("/contacts/{id:guid}", UpdateAsync).WithName("UpdateContact");
        group.MapDelete("/contacts/{id:guid}", DeleteAsync).WithName("DeleteContact");
        group.MapGet("/lists", ListsAsync).WithName("ListContactLists");
        group.MapPut("/lists/{listId:guid}/contacts/{id:guid}", AddToListAsync).WithName("AddContactToList");
        group.MapDelete("/lists/{listId:guid}/contacts/{id:guid}", RemoveFromListAsync).WithName("RemoveContactFromList");
        return api;
    }

    private static async Task<Results<Ok<ApiContactPage>, ValidationProblem>> ListAsync(ContactService contacts, Guid workspaceId,
        string? search, Guid? listId, int? page, int? pageSize, CancellationToken ct)
    {
        var size = pageSize ?? 50;
        var number = page ?? 1;
        if (size is < 1 or > MaxPageSize || number < 1)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                [size is < 1 or > MaxPageSize ? "pageSize" : "page"] = [size is < 1 or > MaxPageSize ? $"pageSize must be between 1 and {MaxPageSize}." : "page starts at 1."],
            });
        var filter = new ContactFilter { Search = search, ListIds = listId is { } l ? [l] : [] };
        var result = await contacts.QueryAsync(workspaceId, filter, (number - 1) * size, size, null, false, ct);
        return TypedResults.Ok(new ApiContactPage(result.Items, result.TotalCount, number, size));
    }

    private static async Task<Results<Ok<ApiContact>, ProblemHttpResult>> GetAsync(ContactService contacts, Guid workspaceId, Guid id, CancellationToken ct) =>
        await contacts.GetForEditAsync(workspaceId, id, ct) is { } input ? TypedResults.Ok(ApiContact.From(id, input)) : ApiProblems.NotFound("Contact_NotFound");

    private static async Task<Results<Created<ApiContact>, ValidationProblem, ProblemHttpResult>> CreateAsync(HttpContext http, ContactService contacts, Guid workspaceId,
        ContactInput input, CancellationToken ct)
    {
        var result = await contacts.CreateAsync(workspaceId, input, ct);
        if (result.IsNotFound)
            return ApiProblems.NotFound("Workspace_NotFound");
        if (!result.Succeeded)
            return Invalid(result);
        await http.AuditAsync(ApiAuditActions.ContactCreated, "Contact", result.ContactId!.Value, $"workspace={workspaceId}");
        var saved = await contacts.GetForEditAsync(workspaceId, result.ContactId!.Value, ct);
        return TypedResults.Created($"/api/v1/workspaces/{workspaceId}/contacts/{result.ContactId}", ApiContact.From(result.ContactId.Value, saved!));
    }

    private static async Task<Results<Ok<ApiContact>, ValidationProblem, ProblemHttpResult>> UpdateAsync(HttpContext http, ContactService contacts, Guid workspaceId, Guid id,
        ContactInput input, CancellationToken ct)
    {
        var result = await contacts.UpdateAsync(workspaceId, id, input, ct);
        if (result.IsNotFound)
            return ApiProblems.NotFound("Contact_NotFound");
        if (!result.Succeeded)
            return Invalid(result);
        await http.AuditAsync(ApiAuditActions.ContactUpdated, "Contact", id, $"workspace={workspaceId}");
        return TypedResults.Ok(ApiContact.From(id, (await contacts.GetForEditAsync(workspaceId, id, ct))!));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(HttpContext http, ContactService contacts, Guid workspaceId, Guid id, CancellationToken ct)
    {
        if (!await contacts.DeleteAsync(workspaceId, id, ct))
            return ApiProblems.NotFound("Contact_NotFound");
        await http.AuditAsync(ApiAuditActions.ContactDeleted, "Contact", id, $"workspace={workspaceId}");
        return TypedResults.NoContent();
    }

    private static async Task<Ok<IReadOnlyList<NamedCount>>> ListsAsync(ContactCatalogService catalog, Guid workspaceId, CancellationToken ct) =>
        TypedResults.Ok(await catalog.ListsAsync(workspaceId, ct));

    private static Task<Results<NoContent, ProblemHttpResult>> AddToListAsync(HttpContext http, ContactService contacts, ContactCatalogService catalog,
        Guid workspaceId, Guid listId, Guid id, CancellationToken ct) => ChangeListAsync(http, contacts, catalog, workspaceId, listId, id, BulkAction.AddToList, ct);

    private static Task<Results<NoContent, ProblemHttpResult>> RemoveFromListAsync(HttpContext http, ContactService contacts, ContactCatalogService catalog,
        Guid workspaceId, Guid listId, Guid id, CancellationToken ct) => ChangeListAsync(http, contacts, catalog, workspaceId, listId, id, BulkAction.RemoveFromList, ct);

    private static async Task<Results<NoContent, ProblemHttpResult>> ChangeListAsync(HttpContext http, ContactService contacts, ContactCatalogService catalog,
        Guid workspaceId, Guid listId, Guid id, BulkAction action, CancellationToken ct)
    {
        if (!(await catalog.ListsAsync(workspaceId, ct)).Any(l => l.Id == listId))
            return ApiProblems.NotFound("List_NotFound");
        if (await contacts.GetForEditAsync(workspaceId, id, ct) is null)
            return ApiProblems.NotFound("Contact_NotFound");
        await contacts.BulkAsync(workspaceId, ContactSelection.Of([id]), action, listId, ct);
        await http.AuditAsync(action == BulkAction.AddToList ? ApiAuditActions.ContactAddedToList : ApiAuditActions.ContactRemovedFromList,
            "Contact", id, $"list={listId}");
        return TypedResults.NoContent();
    }

    // Field names as the API spells them (camelCase), so a client can point at the field.
    private static ValidationProblem Invalid(ContactSaveResult result)
    {
        var fields = result.Errors.GroupBy(e => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(e.Property)).ToList();
        return ProblemResults.ToValidationProblem(fields.ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
            fields.ToDictionary(g => g.Key, g => g.Select(e => e.Code ?? "").ToArray()));
    }
}

public sealed record ApiContactPage(IReadOnlyList<ContactRow> Items, int TotalCount, int Page, int PageSize);

public sealed record ApiContact(Guid Id, string Name, string Phone, string? Email, string? GroupId, bool OptedOut,
    IReadOnlyDictionary<string, string?> Fields, IReadOnlyList<Guid> ListIds, IReadOnlyList<Guid> LabelIds)
{
    public static ApiContact From(Guid id, ContactInput c) => new(id, c.Name, c.Phone, c.Email, c.GroupId, c.OptedOut, c.Fields, c.ListIds, c.LabelIds);
}
