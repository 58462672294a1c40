using KelolaPesan.Core.ExternalApi;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KelolaPesan.Web.Endpoints;

public static class ChatsApi
{
    public static RouteGroupBuilder MapChatsApi(this RouteGroupBuilder api)
    {
        api.MapGroup("/chats").WithTags("Chats")
            .MapGet("/{id:guid}", GetAsync).WithName("GetChat")
            .WithSummary("A chat (the chatId of messages and webhooks): whether it is resolved (resolvedAt, null while open)")
            .WithDescription("""
                `resolvedAt` is set when a person in the inbox marks the conversation done, and null while it is open; the
                customer's next message or an agent's reply opens it again. The `chat.status` webhook carries the same object
                when a person resolves or reopens a chat.
                """);
        return api;
    }

    private static async Task<Results<Ok<ApiChatView>, ProblemHttpResult>> GetAsync(HttpContext http, ApiMessageService messages, Guid id, CancellationToken ct) =>
        await messages.GetChatAsync(http.ApiCaller(), id, ct) is { } chat ? TypedResults.Ok(chat) : ApiProblems.NotFound("Chat_NotFound");
}
