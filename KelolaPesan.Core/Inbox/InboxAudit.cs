using KelolaPesan.Core.Audit;

namespace KelolaPesan.Core.Inbox;

public static class InboxAuditActions
{
    public const string ChatResolved = "inbox.chat-resolved";
    public const string ChatReopened = "inbox.chat-reopened";
}

/// <summary>
/// A resolve or reopen entry's details: "ChatWorkspace: Toko Utama; ChatVia: Reply", joined as <see cref="AuditChanges"/>
/// joins fields; the audit page turns them into a sentence in the reader's language. The chat is the entry's target; the
/// customer's name is left out on purpose, as the erasure of a contact does not reach the audit log.
/// </summary>
public static class ChatAuditDetails
{
    public const string TargetType = "Chat";
    public const string Workspace = "ChatWorkspace";
    public const string Via = "ChatVia";

    /// <summary>The value of <see cref="Via"/> when an agent's reply opened the chat again.</summary>
    public const string ViaReply = "Reply";

    public static string Of(string workspace, string? via = null) =>
        via is null ? $"{Workspace}: {workspace}" : $"{Workspace}: {workspace}{AuditChanges.Separator}{Via}: {via}";
}
