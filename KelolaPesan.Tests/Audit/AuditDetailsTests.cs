using System.Globalization;
using Bunit;
using KelolaPesan.Core.Inbox;
using KelolaPesan.Core.Team;
using KelolaPesan.Tests.Infrastructure;
using KelolaPesan.Web.Components.Pages.Audit;
using Microsoft.Extensions.DependencyInjection;

namespace KelolaPesan.Tests.Audit;

/// <summary>An entry's details as the audit page shows them: team changes as sentences naming the member, in the reader's language.</summary>
public sealed class AuditDetailsTests : BunitTestBase
{
    private const string AccessChange = "Member: Wati; Username: wati; Role: Agent -> Manager; WorkspacesAdded: Cabang; WorkspacesRemoved: Toko Utama";

    public AuditDetailsTests() => Services.AddLocalization(o => o.ResourcesPath = "Resources");

    [Theory]
    [InlineData("en", "Member: Wati (wati); Role of Wati: Agent -> Manager; Workspaces of Wati: added Cabang; Workspaces of Wati: removed Toko Utama")]
    [InlineData("id", "Anggota: Wati (wati); Peran Wati: Agen -> Manajer; Workspace Wati: ditambah Cabang; Workspace Wati: dicabut Toko Utama")]
    public void AnAccessChange_NamesTheMemberAndTheWorkspaces_InTheReadersLanguage(string culture, string expected) =>
        Assert.Equal(expected, Render(culture, AccessChange));

    [Fact]
    public void ANewMember_ReadsWithTheirRoleAndWorkspaces() =>
        Assert.Equal("Member: Sinta (sinta); Role of Sinta: Agent; Workspaces of Sinta: Cabang, Toko Utama",
            Render("en", TeamAuditDetails.Of("Sinta", "sinta", (TeamAuditDetails.Role, "Agent"), (TeamAuditDetails.Workspaces, "Cabang, Toko Utama"))));

    [Theory]
    [InlineData("en", "Username: ani", "Email: admin@example.com", "Former member (Agent)")]
    [InlineData("id", "Nama pengguna: ani", "Email: admin@example.com", "Mantan anggota (Agen)")]
    public void ASignInNamesItsAccount_AndARemovalAFormerMember_InTheReadersLanguage(string culture, string username, string email, string removed)
    {
        Assert.Equal(username, Render(culture, "Username: ani"));
        Assert.Equal(email, Render(culture, "Email: admin@example.com"));
        Assert.Equal(removed, Render(culture, $"{TeamAuditDetails.FormerMember}: Agent"));
    }

    [Fact]
    public void ASettingsChange_StillReadsFieldByField() =>
        Assert.Equal("Zona waktu: Asia/Jakarta -> Asia/Jayapura; Tugaskan obrolan saat membalas: ya -> tidak",
            Render("id", "TimeZone: Asia/Jakarta -> Asia/Jayapura; AssignOnReply: True -> False"));

    [Theory]
    [InlineData("en", "Chat in Toko Utama; by replying")]
    [InlineData("id", "Chat di Toko Utama; lewat balasan")]
    public void AChatReopenedByAReply_ReadsAsASentence_InTheReadersLanguage(string culture, string expected) =>
        Assert.Equal(expected, Render(culture, ChatAuditDetails.Of("Toko Utama", ChatAuditDetails.ViaReply)));

    [Fact]
    public void AResolvedChat_NamesItsWorkspace() =>
        Assert.Equal("Chat di Toko Utama", Render("id", ChatAuditDetails.Of("Toko Utama")));

    [Fact]
    public void AnOlderEntry_ShowsAsStored() =>
        Assert.Equal("role Agent -> Manager; workspaces +0 -1", Render("en", "role Agent -> Manager; workspaces +0 -1"));

    private string Render(string culture, string details)
    {
        var before = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
        try
        {
            return Render<AuditDetails>(p => p.Add(c => c.Value, details)).Find("[data-testid=audit-details-cell]").TextContent;
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = before;
        }
    }
}
