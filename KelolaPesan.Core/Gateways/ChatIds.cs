namespace KelolaPesan.Core.Gateways;

/// <summary>WhatsApp chat ids: "&lt;digits&gt;@c.us" for a person, "...@g.us" for a group, "...@lid" for a hidden-number id.</summary>
public static class ChatIds
{
    public const string PersonSuffix = "@c.us";
    public const string GroupSuffix = "@g.us";
    public const string LidSuffix = "@lid";
    private const string LegacyPersonSuffix = "@s.whatsapp.net";

    public static string FromPhone(string phone)
    {
        var digits = Digits(phone);
        if (digits.Length == 0)
            throw new ArgumentException($"'{phone}' holds no digits.", nameof(phone));
        return digits + PersonSuffix;
    }

    /// <summary>Keeps a chat id as it is and turns anything else (a phone number in any format) into a person chat id.</summary>
    public static string Normalize(string chatIdOrPhone) =>
        chatIdOrPhone.Contains('@') ? chatIdOrPhone.Trim() : FromPhone(chatIdOrPhone);

    /// <summary>The phone digits of a person chat id; null for groups, LIDs and anything else.</summary>
    public static string? ToPhone(string? chatId)
    {
        if (string.IsNullOrWhiteSpace(chatId))
            return null;
        var user = chatId.EndsWith(PersonSuffix, StringComparison.OrdinalIgnoreCase) ? chatId[..^PersonSuffix.Length]
            : chatId.EndsWith(LegacyPersonSuffix, StringComparison.OrdinalIgnoreCase) ? chatId[..^LegacyPersonSuffix.Length]
            : null;
        // A multi-device id looks like "628123:12@c.us"; the part after ':' is the device.
        user = user?.Split(':')[0];
        return user is { Length: > 0 } && user.All(char.IsAsciiDigit) ? user : null;
    }

    public static bool IsLid(string? chatId) => chatId?.EndsWith(LidSuffix, StringComparison.OrdinalIgnoreCase) == true;

    public static bool IsGroup(string? chatId) => chatId?.EndsWith(GroupSuffix, StringComparison.OrdinalIgnoreCase) == true;

    public static bool IsPerson(string? chatId) => ToPhone(chatId) is not null;

    private static string Digits(string value) => string.Concat(value.Where(char.IsAsciiDigit));
}
