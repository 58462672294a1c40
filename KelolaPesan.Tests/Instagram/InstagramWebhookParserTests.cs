using KelolaPesan.Core.Instagram;

namespace KelolaPesan.Tests.Instagram;

public sealed class InstagramWebhookParserTests
{
    [Fact]
    public void ACommentersUsername_LosesControlAndBidiCharacters()
    {
        // The chat of a later DM is named "@" + this username.
        var body = FakeGraphServer.CommentWebhook("c-ctl-1", "keren\nbanget", "5550009", "\u2066e\u202Eka\u202C\u0007\n", "m-9").ToJsonString();
        var onlyControls = FakeGraphServer.CommentWebhook("c-ctl-2", "x", "5550009", "\u202E\u0001", "m-9").ToJsonString();

        var comment = Assert.IsType<InstagramCommentItem>(Assert.Single(InstagramWebhookParser.Parse(body)));
        var empty = Assert.IsType<InstagramCommentItem>(Assert.Single(InstagramWebhookParser.Parse(onlyControls)));

        Assert.Equal(("eka", "keren\nbanget"), (comment.FromUsername, comment.Text));
        Assert.Null(empty.FromUsername);
    }
}
