using KelolaPesan.Core.Instagram;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.Instagram;

/// <summary>The Graph adapter over real HTTP against <see cref="FakeGraphServer"/>.</summary>
public sealed class InstagramGraphClientTests : IAsyncLifetime
{
    private const string Redirect = "https://app.test/instagram/callback";
    private FakeGraphServer _fake = null!;
    private ServiceProvider _services = null!;
    private IInstagramGraph _graph = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeGraphServer.StartAsync();
        var settings = _fake.Settings.ToDictionary(kv => kv.Key, kv => (string?)kv.Value);
        settings["Instagram:RetryDelaySeconds"] = "0.01";
        settings["Instagram:AttemptTimeoutSeconds"] = "5";
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        _services = new ServiceCollection().AddInstagramGraph(config).BuildServiceProvider();
        _graph = _services.GetRequiredService<IInstagramGraph>();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _fake.DisposeAsync();
    }

    [Fact]
    public void AuthorizeUrl_CarriesAppIdRedirectScopesAndState()
    {
        var url = new Uri(_graph.AuthorizeUrl("signed-state", Redirect));

        Assert.Equal("/oauth/authorize", url.AbsolutePath);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(url.Query);
        Assert.Equal(FakeGraphServer.AppId, query["client_id"]);
        Assert.Equal(Redirect, query["redirect_uri"]);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal(InstagramOptions.Scopes, query["scope"]);
        Assert.Equal("signed-state", query["state"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ExchangeCode_ReadsBothShapes_AndStripsTheTrailingHash(bool flat)
    {
        _fake.FlatTokenShape = flat;
        var code = _fake.IssueCode(Redirect);

        var token = await _graph.ExchangeCodeAsync(code + "#_", Redirect, CancellationToken.None);

        Assert.Equal(FakeGraphServer.UserId, token.UserId);
        Assert.StartsWith("IGshort-", token.AccessToken);
        Assert.Equal(InstagramOptions.Scopes.Split(','), token.Permissions);
        var form = Assert.Single(_fake.RequestsTo("POST", "/oauth/access_token")).Body;
        Assert.Contains("grant_type=authorization_code", form);
        Assert.Contains($"code={code}&", form + "&");
        Assert.Contains($"client_secret={FakeGraphServer.AppSecret}", form);
    }

    [Fact]
    public async Task ExchangeCode_ForAnUnknownCode_IsAnOtherErrorWithTheOAuthMessage()
    {
        var error = await Assert.ThrowsAsync<InstagramGraphException>(() => _graph.ExchangeCodeAsync("nope", Redirect, CancellationToken.None));

        Assert.Equal(InstagramGraphErrorKind.Other, error.Kind);
        Assert.Equal(400, error.Code);
        Assert.Contains("authorization code", error.GraphMessage);
    }

    [Fact]
    public async Task LongLivedExchangeAndRefresh_ReturnNewTokensWithTheirLifetime()
    {
        var shortToken = _fake.IssueToken("short");

        var longToken = await _graph.ExchangeLongLivedAsync(shortToken, CancellationToken.None);
        var refreshed = await _graph.RefreshAsync(longToken.AccessToken, CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(FakeGraphServer.LongLivedSeconds), longToken.ExpiresIn);
        Assert.NotEqual(longToken.AccessToken, refreshed.AccessToken);
        Assert.Equal(TimeSpan.FromSeconds(FakeGraphServer.LongLivedSeconds), refreshed.ExpiresIn);
        Assert.Contains("grant_type=ig_exchange_token", Assert.Single(_fake.RequestsTo("GET", "/access_token")).Query);
        Assert.Contains("grant_type=ig_refresh_token", Assert.Single(_fake.RequestsTo("GET", "/refresh_access_token")).Query);
    }

    [Fact]
    public async Task Profile_SubscribeAndUnsubscribe_UseTheBearerToken()
    {
        var token = _fake.IssueToken();

        var profile = await _graph.GetProfileAsync(token, CancellationToken.None);
        await _graph.SubscribeAsync(token, CancellationToken.None);
        Assert.True(_fake.Subscribed);
        Assert.Equal("comments,messages", _fake.SubscribedFields);
        await _graph.UnsubscribeAsync(token, CancellationToken.None);

        Assert.False(_fake.Subscribed);
        Assert.Equal(new InstagramProfile(FakeGraphServer.UserId, FakeGraphServer.Username, FakeGraphServer.DisplayName, "https://cdn.fake/profile.jpg"), profile);
        Assert.All(_fake.Requests, r => Assert.Equal(token, r.Token));
        Assert.Contains("fields=user_id,username,name,profile_picture_url", Assert.Single(_fake.RequestsTo("GET", "/v25.0/me")).Query);
    }

    [Fact]
    public async Task Media_PagesByCursorUntilThereIsNoNext()
    {
        var token = _fake.IssueToken();

        var first = await _graph.GetMediaPageAsync(token, FakeGraphServer.UserId, null, CancellationToken.None);
        var second = await _graph.GetMediaPageAsync(token, FakeGraphServer.UserId, first.After, CancellationToken.None);

        Assert.Equal(25, first.Items.Count);
        Assert.NotNull(first.After);
        Assert.Equal(5, second.Items.Count);
        Assert.Null(second.After);
        var post = first.Items[0];
        Assert.Equal("18000000000000001", post.Id);
        Assert.Equal("Fake post 1", post.Caption);
        Assert.Equal("https://www.instagram.com/p/fake1/", post.Permalink);
        Assert.Equal(1, post.CommentsCount);
        Assert.Equal(new DateTimeOffset(2026, 10, 31, 23, 0, 0, TimeSpan.Zero), post.Timestamp);
        Assert.Equal("https://cdn.fake/1.jpg", post.PreviewUrl);
        var reel = first.Items.Single(i => i.MediaType == "VIDEO" && i.Id == "18000000000000005");
        Assert.Equal("https://cdn.fake/5-thumb.jpg", reel.PreviewUrl);
        Assert.Equal(30, first.Items.Concat(second.Items).Select(i => i.Id).Distinct().Count());
    }

    [Fact]
    public async Task PrivateReplyDirectMessageAndCommentReply_ReachGraphAndReturnTheirIds()
    {
        var token = _fake.IssueToken();

        var privateId = await _graph.SendPrivateReplyAsync(token, FakeGraphServer.UserId, "17900000000000099", "Halo {username}", CancellationToken.None);
        var dmId = await _graph.SendDirectMessageAsync(token, FakeGraphServer.UserId, "igsid-42", "Terima kasih", CancellationToken.None);
        var replyId = await _graph.ReplyToCommentAsync(token, "17900000000000099", "Cek DM ya & terima kasih", CancellationToken.None);

        var reply = Assert.Single(_fake.PrivateReplies);
        Assert.Equal(new SentMessage(FakeGraphServer.UserId, "17900000000000099", null, "Halo {username}", privateId), reply);
        var dm = Assert.Single(_fake.DirectMessages);
        Assert.Equal(new SentMessage(FakeGraphServer.UserId, null, "igsid-42", "Terima kasih", dmId), dm);
        Assert.Equal(new SentCommentReply("17900000000000099", "Cek DM ya & terima kasih", replyId), Assert.Single(_fake.CommentReplies));
    }

    [Theory]
    [InlineData(190, null, InstagramGraphErrorKind.TokenInvalid)]
    [InlineData(4, null, InstagramGraphErrorKind.Throttled)]
    [InlineData(17, null, InstagramGraphErrorKind.Throttled)]
    [InlineData(32, null, InstagramGraphErrorKind.Throttled)]
    [InlineData(613, null, InstagramGraphErrorKind.Throttled)]
    [InlineData(10, null, InstagramGraphErrorKind.Permission)]
    [InlineData(200, null, InstagramGraphErrorKind.Permission)]
    [InlineData(299, null, InstagramGraphErrorKind.Permission)]
    [InlineData(10, 2534022, InstagramGraphErrorKind.OutsideWindow)]
    [InlineData(1, null, InstagramGraphErrorKind.Transient)]
    [InlineData(2, null, InstagramGraphErrorKind.Transient)]
    [InlineData(100, 33, InstagramGraphErrorKind.Other)]
    public async Task GraphErrors_AreClassified_WithCodeSubcodeAndMessage(int code, int? subcode, InstagramGraphErrorKind kind)
    {
        _fake.FailNext(1, code, subcode, message: "explained by Graph");

        var error = await Assert.ThrowsAsync<InstagramGraphException>(() =>
            _graph.SendDirectMessageAsync(_fake.IssueToken(), FakeGraphServer.UserId, "igsid-1", "Halo", CancellationToken.None));

        Assert.Equal(kind, error.Kind);
        Assert.Equal(code, error.Code);
        Assert.Equal(subcode, error.Subcode);
        Assert.Equal("explained by Graph", error.GraphMessage);
        Assert.Equal("SendDirectMessage", error.Operation);
        Assert.Empty(_fake.DirectMessages);
    }

    [Fact]
    public async Task ARevokedToken_AnswersTokenInvalid()
    {
        var token = _fake.IssueToken();
        _fake.RevokeToken(token);

        var error = await Assert.ThrowsAsync<InstagramGraphException>(() => _graph.GetProfileAsync(token, CancellationToken.None));

        Assert.Equal(InstagramGraphErrorKind.TokenInvalid, error.Kind);
        Assert.Equal(190, error.Code);
    }

    [Fact]
    public async Task ATransientFailure_IsRetriedForAGet_ButNeverForASend()
    {
        var token = _fake.IssueToken();
        _fake.FailNext(1, 2, httpStatus: 500, pathContains: "/media");
        var page = await _graph.GetMediaPageAsync(token, FakeGraphServer.UserId, null, CancellationToken.None);
        Assert.Equal(25, page.Items.Count);
        Assert.Equal(2, _fake.RequestsTo("GET", $"/v25.0/{FakeGraphServer.UserId}/media").Count);

        _fake.FailNext(1, 2, httpStatus: 500, pathContains: "/messages");
        var error = await Assert.ThrowsAsync<InstagramGraphException>(() =>
            _graph.SendPrivateReplyAsync(token, FakeGraphServer.UserId, "c1", "Halo", CancellationToken.None));
        Assert.Equal(InstagramGraphErrorKind.Transient, error.Kind);
        Assert.Single(_fake.RequestsTo("POST", $"/v25.0/{FakeGraphServer.UserId}/messages"));
        Assert.Empty(_fake.PrivateReplies);
    }

    [Fact]
    public async Task AnUnreachableGraph_IsTransient()
    {
        var token = _fake.IssueToken();
        await _fake.DisposeAsync();

        var error = await Assert.ThrowsAsync<InstagramGraphException>(() =>
            _graph.SendDirectMessageAsync(token, FakeGraphServer.UserId, "igsid-1", "Halo", CancellationToken.None));

        Assert.Equal(InstagramGraphErrorKind.Transient, error.Kind);
        Assert.Null(error.Code);
        _fake = await FakeGraphServer.StartAsync();
    }
}
