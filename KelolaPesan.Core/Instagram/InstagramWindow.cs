using System.Text;
using FluentValidation;
using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Instagram;

/// <summary>Instagram DMs may be answered only within 24 hours of the customer's last message, with text up to 1000 bytes.</summary>
public static class InstagramWindow
{
    public static readonly TimeSpan Length = TimeSpan.FromHours(24);
    public const int MaxTextBytes = 1000;

    public static bool IsOpen(DateTimeOffset? lastInboundAt, DateTimeOffset now) => lastInboundAt is { } at && now - at < Length;
}

/// <summary>The customer's last message is more than 24 hours old: Instagram refuses replies until they write again.</summary>
public sealed class InstagramWindowClosedException()
    : ValidationException("The 24-hour window to reply on Instagram is closed: the customer must send a message first.");

public sealed class InstagramDirectTextValidator : AbstractValidator<string>
{
    public InstagramDirectTextValidator()
    {
        RuleFor(text => text).Must(t => !string.IsNullOrWhiteSpace(t)).WithProblem("Message_Required")
            .Must(t => Encoding.UTF8.GetByteCount(t ?? "") <= InstagramWindow.MaxTextBytes)
            .WithProblem("Instagram_MessageTooLong", InstagramWindow.MaxTextBytes)
            .OverridePropertyName("Text");
    }
}
