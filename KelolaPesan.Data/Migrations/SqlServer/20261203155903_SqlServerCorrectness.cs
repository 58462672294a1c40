using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KelolaPesan.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class SqlServerCorrectness : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_Workspaces",
                table: "Workspaces");

            migrationBuilder.DropPrimaryKey(
                name: "PK_WorkspaceMembers",
                table: "WorkspaceMembers");

            migrationBuilder.DropPrimaryKey(
                name: "PK_WorkspaceEvents",
                table: "WorkspaceEvents");

            migrationBuilder.DropPrimaryKey(
                name: "PK_WebhookSubscriptions",
                table: "WebhookSubscriptions");

            migrationBuilder.DropPrimaryKey(
                name: "PK_WebhookDeliveries",
                table: "WebhookDeliveries");

            migrationBuilder.DropPrimaryKey(
                name: "PK_ValidationJobs",
                table: "ValidationJobs");

            migrationBuilder.DropPrimaryKey(
                name: "PK_ValidationEntries",
                table: "ValidationEntries");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Users",
                table: "Users");

            migrationBuilder.DropIndex(
                name: "IX_Users_AgencyId_Username",
                table: "Users");

            migrationBuilder.DropIndex(
                name: "IX_Users_TenantId_Username",
                table: "Users");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Tenants",
                table: "Tenants");

            migrationBuilder.DropPrimaryKey(
                name: "PK_SequenceSteps",
                table: "SequenceSteps");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Sequences",
                table: "Sequences");

            migrationBuilder.DropPrimaryKey(
                name: "PK_SequenceEnrollments",
                table: "SequenceEnrollments");

            migrationBuilder.DropPrimaryKey(
                name: "PK_SendBudgets",
                table: "SendBudgets");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Segments",
                table: "Segments");

            migrationBuilder.DropIndex(
                name: "IX_Segments_WorkspaceId_Name",
                table: "Segments");

            migrationBuilder.DropPrimaryKey(
                name: "PK_QuickReplies",
                table: "QuickReplies");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Policies",
                table: "Policies");

            migrationBuilder.DropPrimaryKey(
                name: "PK_PlatformSettings",
                table: "PlatformSettings");

            migrationBuilder.DropPrimaryKey(
                name: "PK_NotificationTemplates",
                table: "NotificationTemplates");

            migrationBuilder.DropPrimaryKey(
                name: "PK_NotificationLogs",
                table: "NotificationLogs");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Messages",
                table: "Messages");

            migrationBuilder.DropPrimaryKey(
                name: "PK_LidMappings",
                table: "LidMappings");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Licences",
                table: "Licences");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Labels",
                table: "Labels");

            migrationBuilder.DropIndex(
                name: "IX_Labels_WorkspaceId_Name",
                table: "Labels");

            migrationBuilder.DropPrimaryKey(
                name: "PK_InstagramMedia",
                table: "InstagramMedia");

            migrationBuilder.DropPrimaryKey(
                name: "PK_InstagramComments",
                table: "InstagramComments");

            migrationBuilder.DropPrimaryKey(
                name: "PK_InstagramAccounts",
                table: "InstagramAccounts");

            migrationBuilder.DropPrimaryKey(
                name: "PK_InboundWebhookEvents",
                table: "InboundWebhookEvents");

            migrationBuilder.DropPrimaryKey(
                name: "PK_DeletionRequests",
                table: "DeletionRequests");

            migrationBuilder.DropPrimaryKey(
                name: "PK_DataExports",
                table: "DataExports");

            migrationBuilder.DropPrimaryKey(
                name: "PK_CustomFields",
                table: "CustomFields");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Contacts",
                table: "Contacts");

            migrationBuilder.DropPrimaryKey(
                name: "PK_ContactLists",
                table: "ContactLists");

            migrationBuilder.DropIndex(
                name: "IX_ContactLists_WorkspaceId_Name",
                table: "ContactLists");

            migrationBuilder.DropPrimaryKey(
                name: "PK_ContactListMembers",
                table: "ContactListMembers");

            migrationBuilder.DropPrimaryKey(
                name: "PK_ContactLabels",
                table: "ContactLabels");

            migrationBuilder.DropPrimaryKey(
                name: "PK_ContactImports",
                table: "ContactImports");

            migrationBuilder.DropPrimaryKey(
                name: "PK_ContactImportErrors",
                table: "ContactImportErrors");

            migrationBuilder.DropPrimaryKey(
                name: "PK_ContactFieldValues",
                table: "ContactFieldValues");

            migrationBuilder.DropIndex(
                name: "IX_ContactFieldValues_FieldId_Value",
                table: "ContactFieldValues");

            migrationBuilder.DropPrimaryKey(
                name: "PK_CommentReplies",
                table: "CommentReplies");

            migrationBuilder.DropPrimaryKey(
                name: "PK_CommentAutomations",
                table: "CommentAutomations");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Chats",
                table: "Chats");

            migrationBuilder.DropPrimaryKey(
                name: "PK_ChatLabels",
                table: "ChatLabels");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Broadcasts",
                table: "Broadcasts");

            migrationBuilder.DropPrimaryKey(
                name: "PK_BroadcastRecipients",
                table: "BroadcastRecipients");

            migrationBuilder.DropPrimaryKey(
                name: "PK_BotSettings",
                table: "BotSettings");

            migrationBuilder.DropPrimaryKey(
                name: "PK_BotRules",
                table: "BotRules");

            migrationBuilder.DropPrimaryKey(
                name: "PK_BotReplies",
                table: "BotReplies");

            migrationBuilder.DropPrimaryKey(
                name: "PK_BotKeywords",
                table: "BotKeywords");

            migrationBuilder.DropPrimaryKey(
                name: "PK_AuditEntries",
                table: "AuditEntries");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Attachments",
                table: "Attachments");

            migrationBuilder.DropPrimaryKey(
                name: "PK_ApiKeys",
                table: "ApiKeys");

            migrationBuilder.DropPrimaryKey(
                name: "PK_ApiIdempotencyRecords",
                table: "ApiIdempotencyRecords");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Agencies",
                table: "Agencies");

            migrationBuilder.DropPrimaryKey(
                name: "PK_AdminUsers",
                table: "AdminUsers");

            migrationBuilder.AlterColumn<string>(
                name: "ExternalSessionId",
                table: "Workspaces",
                type: "nvarchar(100)",
                maxLength: 100,
                nullable: true,
                collation: "Latin1_General_100_BIN2",
                oldClrType: typeof(string),
                oldType: "nvarchar(100)",
                oldMaxLength: 100,
                oldNullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "Workspaces",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "WorkspaceMembers",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "WorkspaceEvents",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "WebhookSubscriptions",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "WebhookDeliveries",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "ValidationJobs",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "ValidationEntries",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "Users",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AddColumn<string>(
                name: "NormalizedUsername",
                table: "Users",
                type: "nvarchar(50)",
                maxLength: 50,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "Tenants",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "SequenceSteps",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "Sequences",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "SequenceEnrollments",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "SendBudgets",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "Segments",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AddColumn<string>(
                name: "NormalizedName",
                table: "Segments",
                type: "nvarchar(100)",
                maxLength: 100,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "QuickReplies",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "Policies",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "PlatformSettings",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "NotificationTemplates",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AlterColumn<string>(
                name: "EventKey",
                table: "NotificationLogs",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: false,
                collation: "Latin1_General_100_BIN2",
                oldClrType: typeof(string),
                oldType: "nvarchar(200)",
                oldMaxLength: 200);

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "NotificationLogs",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AlterColumn<string>(
                name: "ReplyToExternalId",
                table: "Messages",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: true,
                collation: "Latin1_General_100_BIN2",
                oldClrType: typeof(string),
                oldType: "nvarchar(200)",
                oldMaxLength: 200,
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "ExternalMessageId",
                table: "Messages",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: true,
                collation: "Latin1_General_100_BIN2",
                oldClrType: typeof(string),
                oldType: "nvarchar(200)",
                oldMaxLength: 200,
                oldNullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "Messages",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AlterColumn<string>(
                name: "Lid",
                table: "LidMappings",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: false,
                collation: "Latin1_General_100_BIN2",
                oldClrType: typeof(string),
                oldType: "nvarchar(64)",
                oldMaxLength: 64);

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "LidMappings",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AlterColumn<string>(
                name: "CodePrefix",
                table: "Licences",
                type: "nvarchar(16)",
                maxLength: 16,
                nullable: false,
                collation: "Latin1_General_100_BIN2",
                oldClrType: typeof(string),
                oldType: "nvarchar(16)",
                oldMaxLength: 16);

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "Licences",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "Labels",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AddColumn<string>(
                name: "NormalizedName",
                table: "Labels",
                type: "nvarchar(50)",
                maxLength: 50,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AlterColumn<string>(
                name: "MediaId",
                table: "InstagramMedia",
                type: "nvarchar(40)",
                maxLength: 40,
                nullable: false,
                collation: "Latin1_General_100_BIN2",
                oldClrType: typeof(string),
                oldType: "nvarchar(40)",
                oldMaxLength: 40);

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "InstagramMedia",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AlterColumn<string>(
                name: "ParentCommentId",
                table: "InstagramComments",
                type: "nvarchar(40)",
                maxLength: 40,
                nullable: true,
                collation: "Latin1_General_100_BIN2",
                oldClrType: typeof(string),
                oldType: "nvarchar(40)",
                oldMaxLength: 40,
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "MediaId",
                table: "InstagramComments",
                type: "nvarchar(40)",
                maxLength: 40,
                nullable: false,
                collation: "Latin1_General_100_BIN2",
                oldClrType: typeof(string),
                oldType: "nvarchar(40)",
                oldMaxLength: 40);

            migrationBuilder.AlterColumn<string>(
                name: "CommenterId",
                table: "InstagramComments",
                type: "nvarchar(40)",
                maxLength: 40,
                nullable: false,
                collation: "Latin1_General_100_BIN2",
                oldClrType: typeof(string),
                oldType: "nvarchar(40)",
                oldMaxLength: 40);

            migrationBuilder.AlterColumn<string>(
                name: "CommentId",
                table: "InstagramComments",
                type: "nvarchar(40)",
                maxLength: 40,
                nullable: false,
                collation: "Latin1_General_100_BIN2",
                oldClrType: typeof(string),
                oldType: "nvarchar(40)",
                oldMaxLength: 40);

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "InstagramComments",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AlterColumn<string>(
                name: "InstagramUserId",
                table: "InstagramAccounts",
                type: "nvarchar(40)",
                maxLength: 40,
                nullable: false,
                collation: "Latin1_General_100_BIN2",
                oldClrType: typeof(string),
                oldType: "nvarchar(40)",
                oldMaxLength: 40);

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "InstagramAccounts",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AlterColumn<string>(
                name: "EventKey",
                table: "InboundWebhookEvents",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: false,
                collation: "Latin1_General_100_BIN2",
                oldClrType: typeof(string),
                oldType: "nvarchar(200)",
                oldMaxLength: 200);

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "InboundWebhookEvents",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AlterColumn<string>(
                name: "TargetId",
                table: "DeletionRequests",
                type: "nvarchar(100)",
                maxLength: 100,
                nullable: false,
                collation: "Latin1_General_100_BIN2",
                oldClrType: typeof(string),
                oldType: "nvarchar(100)",
                oldMaxLength: 100);

            migrationBuilder.AlterColumn<string>(
                name: "ConfirmationCode",
                table: "DeletionRequests",
                type: "nvarchar(40)",
                maxLength: 40,
                nullable: false,
                collation: "Latin1_General_100_BIN2",
                oldClrType: typeof(string),
                oldType: "nvarchar(40)",
                oldMaxLength: 40);

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "DeletionRequests",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AlterColumn<string>(
                name: "StorageKey",
                table: "DataExports",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: true,
                collation: "Latin1_General_100_BIN2",
                oldClrType: typeof(string),
                oldType: "nvarchar(200)",
                oldMaxLength: 200,
                oldNullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "DataExports",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AlterColumn<string>(
                name: "Key",
                table: "CustomFields",
                type: "nvarchar(50)",
                maxLength: 50,
                nullable: false,
                collation: "Latin1_General_100_BIN2",
                oldClrType: typeof(string),
                oldType: "nvarchar(50)",
                oldMaxLength: 50);

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "CustomFields",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AlterColumn<string>(
                name: "GroupId",
                table: "Contacts",
                type: "nvarchar(100)",
                maxLength: 100,
                nullable: true,
                collation: "Latin1_General_100_BIN2",
                oldClrType: typeof(string),
                oldType: "nvarchar(100)",
                oldMaxLength: 100,
                oldNullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "Contacts",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "ContactLists",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AddColumn<string>(
                name: "NormalizedName",
                table: "ContactLists",
                type: "nvarchar(100)",
                maxLength: 100,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "ContactListMembers",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "ContactLabels",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "ContactImports",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "ContactImportErrors",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "ContactFieldValues",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AddColumn<string>(
                name: "ValuePrefix",
                table: "ContactFieldValues",
                type: "nvarchar(400)",
                maxLength: 400,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AlterColumn<string>(
                name: "PublicReplyId",
                table: "CommentReplies",
                type: "nvarchar(40)",
                maxLength: 40,
                nullable: true,
                collation: "Latin1_General_100_BIN2",
                oldClrType: typeof(string),
                oldType: "nvarchar(40)",
                oldMaxLength: 40,
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "ExternalMessageId",
                table: "CommentReplies",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: true,
                collation: "Latin1_General_100_BIN2",
                oldClrType: typeof(string),
                oldType: "nvarchar(200)",
                oldMaxLength: 200,
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "CommentId",
                table: "CommentReplies",
                type: "nvarchar(40)",
                maxLength: 40,
                nullable: false,
                collation: "Latin1_General_100_BIN2",
                oldClrType: typeof(string),
                oldType: "nvarchar(40)",
                oldMaxLength: 40);

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "CommentReplies",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "CommentAutomations",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AlterColumn<string>(
                name: "ExternalChatId",
                table: "Chats",
                type: "nvarchar(100)",
                maxLength: 100,
                nullable: false,
                collation: "Latin1_General_100_BIN2",
                oldClrType: typeof(string),
                oldType: "nvarchar(100)",
                oldMaxLength: 100);

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "Chats",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "ChatLabels",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "Broadcasts",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AlterColumn<string>(
                name: "IdempotencyKey",
                table: "BroadcastRecipients",
                type: "nvarchar(100)",
                maxLength: 100,
                nullable: false,
                collation: "Latin1_General_100_BIN2",
                oldClrType: typeof(string),
                oldType: "nvarchar(100)",
                oldMaxLength: 100);

            migrationBuilder.AlterColumn<string>(
                name: "ExternalMessageId",
                table: "BroadcastRecipients",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: true,
                collation: "Latin1_General_100_BIN2",
                oldClrType: typeof(string),
                oldType: "nvarchar(200)",
                oldMaxLength: 200,
                oldNullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "BroadcastRecipients",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "BotSettings",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "BotRules",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "BotReplies",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "BotKeywords",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AlterColumn<string>(
                name: "TargetId",
                table: "AuditEntries",
                type: "nvarchar(100)",
                maxLength: 100,
                nullable: true,
                collation: "Latin1_General_100_BIN2",
                oldClrType: typeof(string),
                oldType: "nvarchar(100)",
                oldMaxLength: 100,
                oldNullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "AuditEntries",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AlterColumn<string>(
                name: "StorageKey",
                table: "Attachments",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: false,
                collation: "Latin1_General_100_BIN2",
                oldClrType: typeof(string),
                oldType: "nvarchar(200)",
                oldMaxLength: 200);

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "Attachments",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AlterColumn<string>(
                name: "Prefix",
                table: "ApiKeys",
                type: "nvarchar(8)",
                maxLength: 8,
                nullable: false,
                collation: "Latin1_General_100_BIN2",
                oldClrType: typeof(string),
                oldType: "nvarchar(8)",
                oldMaxLength: 8);

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "ApiKeys",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AlterColumn<string>(
                name: "Key",
                table: "ApiIdempotencyRecords",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: false,
                collation: "Latin1_General_100_BIN2",
                oldClrType: typeof(string),
                oldType: "nvarchar(200)",
                oldMaxLength: 200);

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "ApiIdempotencyRecords",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "Agencies",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AddColumn<long>(
                name: "ClusterKey",
                table: "AdminUsers",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("SqlServer:Identity", "1, 1");

            migrationBuilder.AddPrimaryKey(
                name: "PK_Workspaces",
                table: "Workspaces",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_WorkspaceMembers",
                table: "WorkspaceMembers",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_WorkspaceEvents",
                table: "WorkspaceEvents",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_WebhookSubscriptions",
                table: "WebhookSubscriptions",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_WebhookDeliveries",
                table: "WebhookDeliveries",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_ValidationJobs",
                table: "ValidationJobs",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_ValidationEntries",
                table: "ValidationEntries",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_Users",
                table: "Users",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_Tenants",
                table: "Tenants",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_SequenceSteps",
                table: "SequenceSteps",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_Sequences",
                table: "Sequences",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_SequenceEnrollments",
                table: "SequenceEnrollments",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_SendBudgets",
                table: "SendBudgets",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_Segments",
                table: "Segments",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_QuickReplies",
                table: "QuickReplies",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_Policies",
                table: "Policies",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_PlatformSettings",
                table: "PlatformSettings",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_NotificationTemplates",
                table: "NotificationTemplates",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_NotificationLogs",
                table: "NotificationLogs",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_Messages",
                table: "Messages",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_LidMappings",
                table: "LidMappings",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_Licences",
                table: "Licences",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_Labels",
                table: "Labels",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_InstagramMedia",
                table: "InstagramMedia",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_InstagramComments",
                table: "InstagramComments",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_InstagramAccounts",
                table: "InstagramAccounts",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_InboundWebhookEvents",
                table: "InboundWebhookEvents",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_DeletionRequests",
                table: "DeletionRequests",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_DataExports",
                table: "DataExports",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_CustomFields",
                table: "CustomFields",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_Contacts",
                table: "Contacts",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_ContactLists",
                table: "ContactLists",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_ContactListMembers",
                table: "ContactListMembers",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_ContactLabels",
                table: "ContactLabels",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_ContactImports",
                table: "ContactImports",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_ContactImportErrors",
                table: "ContactImportErrors",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_ContactFieldValues",
                table: "ContactFieldValues",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_CommentReplies",
                table: "CommentReplies",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_CommentAutomations",
                table: "CommentAutomations",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_Chats",
                table: "Chats",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_ChatLabels",
                table: "ChatLabels",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_Broadcasts",
                table: "Broadcasts",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_BroadcastRecipients",
                table: "BroadcastRecipients",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_BotSettings",
                table: "BotSettings",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_BotRules",
                table: "BotRules",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_BotReplies",
                table: "BotReplies",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_BotKeywords",
                table: "BotKeywords",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_AuditEntries",
                table: "AuditEntries",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_Attachments",
                table: "Attachments",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_ApiKeys",
                table: "ApiKeys",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_ApiIdempotencyRecords",
                table: "ApiIdempotencyRecords",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_Agencies",
                table: "Agencies",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_AdminUsers",
                table: "AdminUsers",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            // Fill the new normalised and prefix columns of existing rows before their indexes are built.
            migrationBuilder.Sql("UPDATE [Users] SET [NormalizedUsername] = UPPER(TRIM([Username]));");
            migrationBuilder.Sql("UPDATE [ContactLists] SET [NormalizedName] = UPPER(TRIM([Name]));");
            migrationBuilder.Sql("UPDATE [Labels] SET [NormalizedName] = UPPER(TRIM([Name]));");
            migrationBuilder.Sql("UPDATE [Segments] SET [NormalizedName] = UPPER(TRIM([Name]));");
            migrationBuilder.Sql("UPDATE [ContactFieldValues] SET [ValuePrefix] = LEFT([Value], 400);");

            migrationBuilder.CreateIndex(
                name: "IX_Workspaces_ClusterKey",
                table: "Workspaces",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_WorkspaceMembers_ClusterKey",
                table: "WorkspaceMembers",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_WorkspaceEvents_ClusterKey",
                table: "WorkspaceEvents",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_WebhookSubscriptions_ClusterKey",
                table: "WebhookSubscriptions",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_WebhookDeliveries_ClusterKey",
                table: "WebhookDeliveries",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_ValidationJobs_ClusterKey",
                table: "ValidationJobs",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_ValidationEntries_ClusterKey",
                table: "ValidationEntries",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_Users_AgencyId_NormalizedUsername",
                table: "Users",
                columns: new[] { "AgencyId", "NormalizedUsername" });

            migrationBuilder.CreateIndex(
                name: "IX_Users_ClusterKey",
                table: "Users",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_Users_TenantId_NormalizedUsername",
                table: "Users",
                columns: new[] { "TenantId", "NormalizedUsername" },
                unique: true,
                filter: "[TenantId] IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Tenants_ClusterKey",
                table: "Tenants",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_SequenceSteps_ClusterKey",
                table: "SequenceSteps",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_Sequences_ClusterKey",
                table: "Sequences",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_SequenceEnrollments_ClusterKey",
                table: "SequenceEnrollments",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_SendBudgets_ClusterKey",
                table: "SendBudgets",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_Segments_ClusterKey",
                table: "Segments",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_Segments_WorkspaceId_NormalizedName",
                table: "Segments",
                columns: new[] { "WorkspaceId", "NormalizedName" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_QuickReplies_ClusterKey",
                table: "QuickReplies",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_Policies_ClusterKey",
                table: "Policies",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_PlatformSettings_ClusterKey",
                table: "PlatformSettings",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_NotificationTemplates_ClusterKey",
                table: "NotificationTemplates",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_NotificationLogs_ClusterKey",
                table: "NotificationLogs",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_Messages_ClusterKey",
                table: "Messages",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_LidMappings_ClusterKey",
                table: "LidMappings",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_Licences_ClusterKey",
                table: "Licences",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_Labels_ClusterKey",
                table: "Labels",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_Labels_WorkspaceId_NormalizedName",
                table: "Labels",
                columns: new[] { "WorkspaceId", "NormalizedName" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_InstagramMedia_ClusterKey",
                table: "InstagramMedia",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_InstagramComments_ClusterKey",
                table: "InstagramComments",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_InstagramAccounts_ClusterKey",
                table: "InstagramAccounts",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_InboundWebhookEvents_ClusterKey",
                table: "InboundWebhookEvents",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_DeletionRequests_ClusterKey",
                table: "DeletionRequests",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_DataExports_ClusterKey",
                table: "DataExports",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_CustomFields_ClusterKey",
                table: "CustomFields",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_Contacts_ClusterKey",
                table: "Contacts",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_ContactLists_ClusterKey",
                table: "ContactLists",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_ContactLists_WorkspaceId_NormalizedName",
                table: "ContactLists",
                columns: new[] { "WorkspaceId", "NormalizedName" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ContactListMembers_ClusterKey",
                table: "ContactListMembers",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_ContactLabels_ClusterKey",
                table: "ContactLabels",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_ContactImports_ClusterKey",
                table: "ContactImports",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_ContactImportErrors_ClusterKey",
                table: "ContactImportErrors",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_ContactFieldValues_ClusterKey",
                table: "ContactFieldValues",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_ContactFieldValues_FieldId_ValuePrefix",
                table: "ContactFieldValues",
                columns: new[] { "FieldId", "ValuePrefix" });

            migrationBuilder.CreateIndex(
                name: "IX_CommentReplies_ClusterKey",
                table: "CommentReplies",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_CommentAutomations_ClusterKey",
                table: "CommentAutomations",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_Chats_ClusterKey",
                table: "Chats",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_ChatLabels_ClusterKey",
                table: "ChatLabels",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_Broadcasts_ClusterKey",
                table: "Broadcasts",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_BroadcastRecipients_ClusterKey",
                table: "BroadcastRecipients",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_BotSettings_ClusterKey",
                table: "BotSettings",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_BotRules_ClusterKey",
                table: "BotRules",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_BotReplies_ClusterKey",
                table: "BotReplies",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_BotKeywords_ClusterKey",
                table: "BotKeywords",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_ClusterKey",
                table: "AuditEntries",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_Attachments_ClusterKey",
                table: "Attachments",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_ApiKeys_ClusterKey",
                table: "ApiKeys",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_ApiIdempotencyRecords_ClusterKey",
                table: "ApiIdempotencyRecords",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_Agencies_ClusterKey",
                table: "Agencies",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_AdminUsers_ClusterKey",
                table: "AdminUsers",
                column: "ClusterKey",
                unique: true)
                .Annotation("SqlServer:Clustered", true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_Workspaces",
                table: "Workspaces");

            migrationBuilder.DropIndex(
                name: "IX_Workspaces_ClusterKey",
                table: "Workspaces");

            migrationBuilder.DropPrimaryKey(
                name: "PK_WorkspaceMembers",
                table: "WorkspaceMembers");

            migrationBuilder.DropIndex(
                name: "IX_WorkspaceMembers_ClusterKey",
                table: "WorkspaceMembers");

            migrationBuilder.DropPrimaryKey(
                name: "PK_WorkspaceEvents",
                table: "WorkspaceEvents");

            migrationBuilder.DropIndex(
                name: "IX_WorkspaceEvents_ClusterKey",
                table: "WorkspaceEvents");

            migrationBuilder.DropPrimaryKey(
                name: "PK_WebhookSubscriptions",
                table: "WebhookSubscriptions");

            migrationBuilder.DropIndex(
                name: "IX_WebhookSubscriptions_ClusterKey",
                table: "WebhookSubscriptions");

            migrationBuilder.DropPrimaryKey(
                name: "PK_WebhookDeliveries",
                table: "WebhookDeliveries");

            migrationBuilder.DropIndex(
                name: "IX_WebhookDeliveries_ClusterKey",
                table: "WebhookDeliveries");

            migrationBuilder.DropPrimaryKey(
                name: "PK_ValidationJobs",
                table: "ValidationJobs");

            migrationBuilder.DropIndex(
                name: "IX_ValidationJobs_ClusterKey",
                table: "ValidationJobs");

            migrationBuilder.DropPrimaryKey(
                name: "PK_ValidationEntries",
                table: "ValidationEntries");

            migrationBuilder.DropIndex(
                name: "IX_ValidationEntries_ClusterKey",
                table: "ValidationEntries");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Users",
                table: "Users");

            migrationBuilder.DropIndex(
                name: "IX_Users_AgencyId_NormalizedUsername",
                table: "Users");

            migrationBuilder.DropIndex(
                name: "IX_Users_ClusterKey",
                table: "Users");

            migrationBuilder.DropIndex(
                name: "IX_Users_TenantId_NormalizedUsername",
                table: "Users");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Tenants",
                table: "Tenants");

            migrationBuilder.DropIndex(
                name: "IX_Tenants_ClusterKey",
                table: "Tenants");

            migrationBuilder.DropPrimaryKey(
                name: "PK_SequenceSteps",
                table: "SequenceSteps");

            migrationBuilder.DropIndex(
                name: "IX_SequenceSteps_ClusterKey",
                table: "SequenceSteps");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Sequences",
                table: "Sequences");

            migrationBuilder.DropIndex(
                name: "IX_Sequences_ClusterKey",
                table: "Sequences");

            migrationBuilder.DropPrimaryKey(
                name: "PK_SequenceEnrollments",
                table: "SequenceEnrollments");

            migrationBuilder.DropIndex(
                name: "IX_SequenceEnrollments_ClusterKey",
                table: "SequenceEnrollments");

            migrationBuilder.DropPrimaryKey(
                name: "PK_SendBudgets",
                table: "SendBudgets");

            migrationBuilder.DropIndex(
                name: "IX_SendBudgets_ClusterKey",
                table: "SendBudgets");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Segments",
                table: "Segments");

            migrationBuilder.DropIndex(
                name: "IX_Segments_ClusterKey",
                table: "Segments");

            migrationBuilder.DropIndex(
                name: "IX_Segments_WorkspaceId_NormalizedName",
                table: "Segments");

            migrationBuilder.DropPrimaryKey(
                name: "PK_QuickReplies",
                table: "QuickReplies");

            migrationBuilder.DropIndex(
                name: "IX_QuickReplies_ClusterKey",
                table: "QuickReplies");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Policies",
                table: "Policies");

            migrationBuilder.DropIndex(
                name: "IX_Policies_ClusterKey",
                table: "Policies");

            migrationBuilder.DropPrimaryKey(
                name: "PK_PlatformSettings",
                table: "PlatformSettings");

            migrationBuilder.DropIndex(
                name: "IX_PlatformSettings_ClusterKey",
                table: "PlatformSettings");

            migrationBuilder.DropPrimaryKey(
                name: "PK_NotificationTemplates",
                table: "NotificationTemplates");

            migrationBuilder.DropIndex(
                name: "IX_NotificationTemplates_ClusterKey",
                table: "NotificationTemplates");

            migrationBuilder.DropPrimaryKey(
                name: "PK_NotificationLogs",
                table: "NotificationLogs");

            migrationBuilder.DropIndex(
                name: "IX_NotificationLogs_ClusterKey",
                table: "NotificationLogs");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Messages",
                table: "Messages");

            migrationBuilder.DropIndex(
                name: "IX_Messages_ClusterKey",
                table: "Messages");

            migrationBuilder.DropPrimaryKey(
                name: "PK_LidMappings",
                table: "LidMappings");

            migrationBuilder.DropIndex(
                name: "IX_LidMappings_ClusterKey",
                table: "LidMappings");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Licences",
                table: "Licences");

            migrationBuilder.DropIndex(
                name: "IX_Licences_ClusterKey",
                table: "Licences");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Labels",
                table: "Labels");

            migrationBuilder.DropIndex(
                name: "IX_Labels_ClusterKey",
                table: "Labels");

            migrationBuilder.DropIndex(
                name: "IX_Labels_WorkspaceId_NormalizedName",
                table: "Labels");

            migrationBuilder.DropPrimaryKey(
                name: "PK_InstagramMedia",
                table: "InstagramMedia");

            migrationBuilder.DropIndex(
                name: "IX_InstagramMedia_ClusterKey",
                table: "InstagramMedia");

            migrationBuilder.DropPrimaryKey(
                name: "PK_InstagramComments",
                table: "InstagramComments");

            migrationBuilder.DropIndex(
                name: "IX_InstagramComments_ClusterKey",
                table: "InstagramComments");

            migrationBuilder.DropPrimaryKey(
                name: "PK_InstagramAccounts",
                table: "InstagramAccounts");

            migrationBuilder.DropIndex(
                name: "IX_InstagramAccounts_ClusterKey",
                table: "InstagramAccounts");

            migrationBuilder.DropPrimaryKey(
                name: "PK_InboundWebhookEvents",
                table: "InboundWebhookEvents");

            migrationBuilder.DropIndex(
                name: "IX_InboundWebhookEvents_ClusterKey",
                table: "InboundWebhookEvents");

            migrationBuilder.DropPrimaryKey(
                name: "PK_DeletionRequests",
                table: "DeletionRequests");

            migrationBuilder.DropIndex(
                name: "IX_DeletionRequests_ClusterKey",
                table: "DeletionRequests");

            migrationBuilder.DropPrimaryKey(
                name: "PK_DataExports",
                table: "DataExports");

            migrationBuilder.DropIndex(
                name: "IX_DataExports_ClusterKey",
                table: "DataExports");

            migrationBuilder.DropPrimaryKey(
                name: "PK_CustomFields",
                table: "CustomFields");

            migrationBuilder.DropIndex(
                name: "IX_CustomFields_ClusterKey",
                table: "CustomFields");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Contacts",
                table: "Contacts");

            migrationBuilder.DropIndex(
                name: "IX_Contacts_ClusterKey",
                table: "Contacts");

            migrationBuilder.DropPrimaryKey(
                name: "PK_ContactLists",
                table: "ContactLists");

            migrationBuilder.DropIndex(
                name: "IX_ContactLists_ClusterKey",
                table: "ContactLists");

            migrationBuilder.DropIndex(
                name: "IX_ContactLists_WorkspaceId_NormalizedName",
                table: "ContactLists");

            migrationBuilder.DropPrimaryKey(
                name: "PK_ContactListMembers",
                table: "ContactListMembers");

            migrationBuilder.DropIndex(
                name: "IX_ContactListMembers_ClusterKey",
                table: "ContactListMembers");

            migrationBuilder.DropPrimaryKey(
                name: "PK_ContactLabels",
                table: "ContactLabels");

            migrationBuilder.DropIndex(
                name: "IX_ContactLabels_ClusterKey",
                table: "ContactLabels");

            migrationBuilder.DropPrimaryKey(
                name: "PK_ContactImports",
                table: "ContactImports");

            migrationBuilder.DropIndex(
                name: "IX_ContactImports_ClusterKey",
                table: "ContactImports");

            migrationBuilder.DropPrimaryKey(
                name: "PK_ContactImportErrors",
                table: "ContactImportErrors");

            migrationBuilder.DropIndex(
                name: "IX_ContactImportErrors_ClusterKey",
                table: "ContactImportErrors");

            migrationBuilder.DropPrimaryKey(
                name: "PK_ContactFieldValues",
                table: "ContactFieldValues");

            migrationBuilder.DropIndex(
                name: "IX_ContactFieldValues_ClusterKey",
                table: "ContactFieldValues");

            migrationBuilder.DropIndex(
                name: "IX_ContactFieldValues_FieldId_ValuePrefix",
                table: "ContactFieldValues");

            migrationBuilder.DropPrimaryKey(
                name: "PK_CommentReplies",
                table: "CommentReplies");

            migrationBuilder.DropIndex(
                name: "IX_CommentReplies_ClusterKey",
                table: "CommentReplies");

            migrationBuilder.DropPrimaryKey(
                name: "PK_CommentAutomations",
                table: "CommentAutomations");

            migrationBuilder.DropIndex(
                name: "IX_CommentAutomations_ClusterKey",
                table: "CommentAutomations");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Chats",
                table: "Chats");

            migrationBuilder.DropIndex(
                name: "IX_Chats_ClusterKey",
                table: "Chats");

            migrationBuilder.DropPrimaryKey(
                name: "PK_ChatLabels",
                table: "ChatLabels");

            migrationBuilder.DropIndex(
                name: "IX_ChatLabels_ClusterKey",
                table: "ChatLabels");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Broadcasts",
                table: "Broadcasts");

            migrationBuilder.DropIndex(
                name: "IX_Broadcasts_ClusterKey",
                table: "Broadcasts");

            migrationBuilder.DropPrimaryKey(
                name: "PK_BroadcastRecipients",
                table: "BroadcastRecipients");

            migrationBuilder.DropIndex(
                name: "IX_BroadcastRecipients_ClusterKey",
                table: "BroadcastRecipients");

            migrationBuilder.DropPrimaryKey(
                name: "PK_BotSettings",
                table: "BotSettings");

            migrationBuilder.DropIndex(
                name: "IX_BotSettings_ClusterKey",
                table: "BotSettings");

            migrationBuilder.DropPrimaryKey(
                name: "PK_BotRules",
                table: "BotRules");

            migrationBuilder.DropIndex(
                name: "IX_BotRules_ClusterKey",
                table: "BotRules");

            migrationBuilder.DropPrimaryKey(
                name: "PK_BotReplies",
                table: "BotReplies");

            migrationBuilder.DropIndex(
                name: "IX_BotReplies_ClusterKey",
                table: "BotReplies");

            migrationBuilder.DropPrimaryKey(
                name: "PK_BotKeywords",
                table: "BotKeywords");

            migrationBuilder.DropIndex(
                name: "IX_BotKeywords_ClusterKey",
                table: "BotKeywords");

            migrationBuilder.DropPrimaryKey(
                name: "PK_AuditEntries",
                table: "AuditEntries");

            migrationBuilder.DropIndex(
                name: "IX_AuditEntries_ClusterKey",
                table: "AuditEntries");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Attachments",
                table: "Attachments");

            migrationBuilder.DropIndex(
                name: "IX_Attachments_ClusterKey",
                table: "Attachments");

            migrationBuilder.DropPrimaryKey(
                name: "PK_ApiKeys",
                table: "ApiKeys");

            migrationBuilder.DropIndex(
                name: "IX_ApiKeys_ClusterKey",
                table: "ApiKeys");

            migrationBuilder.DropPrimaryKey(
                name: "PK_ApiIdempotencyRecords",
                table: "ApiIdempotencyRecords");

            migrationBuilder.DropIndex(
                name: "IX_ApiIdempotencyRecords_ClusterKey",
                table: "ApiIdempotencyRecords");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Agencies",
                table: "Agencies");

            migrationBuilder.DropIndex(
                name: "IX_Agencies_ClusterKey",
                table: "Agencies");

            migrationBuilder.DropPrimaryKey(
                name: "PK_AdminUsers",
                table: "AdminUsers");

            migrationBuilder.DropIndex(
                name: "IX_AdminUsers_ClusterKey",
                table: "AdminUsers");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "Workspaces");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "WorkspaceMembers");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "WorkspaceEvents");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "WebhookSubscriptions");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "WebhookDeliveries");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "ValidationJobs");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "ValidationEntries");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "NormalizedUsername",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "Tenants");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "SequenceSteps");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "Sequences");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "SequenceEnrollments");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "SendBudgets");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "Segments");

            migrationBuilder.DropColumn(
                name: "NormalizedName",
                table: "Segments");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "QuickReplies");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "Policies");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "PlatformSettings");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "NotificationTemplates");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "NotificationLogs");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "LidMappings");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "Licences");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "Labels");

            migrationBuilder.DropColumn(
                name: "NormalizedName",
                table: "Labels");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "InstagramMedia");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "InstagramComments");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "InstagramAccounts");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "InboundWebhookEvents");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "DeletionRequests");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "DataExports");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "CustomFields");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "Contacts");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "ContactLists");

            migrationBuilder.DropColumn(
                name: "NormalizedName",
                table: "ContactLists");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "ContactListMembers");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "ContactLabels");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "ContactImports");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "ContactImportErrors");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "ContactFieldValues");

            migrationBuilder.DropColumn(
                name: "ValuePrefix",
                table: "ContactFieldValues");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "CommentReplies");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "CommentAutomations");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "Chats");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "ChatLabels");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "Broadcasts");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "BroadcastRecipients");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "BotSettings");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "BotRules");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "BotReplies");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "BotKeywords");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "AuditEntries");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "Attachments");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "ApiKeys");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "ApiIdempotencyRecords");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "Agencies");

            migrationBuilder.DropColumn(
                name: "ClusterKey",
                table: "AdminUsers");

            migrationBuilder.AlterColumn<string>(
                name: "ExternalSessionId",
                table: "Workspaces",
                type: "nvarchar(100)",
                maxLength: 100,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "nvarchar(100)",
                oldMaxLength: 100,
                oldNullable: true,
                oldCollation: "Latin1_General_100_BIN2");

            migrationBuilder.AlterColumn<string>(
                name: "EventKey",
                table: "NotificationLogs",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "nvarchar(200)",
                oldMaxLength: 200,
                oldCollation: "Latin1_General_100_BIN2");

            migrationBuilder.AlterColumn<string>(
                name: "ReplyToExternalId",
                table: "Messages",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "nvarchar(200)",
                oldMaxLength: 200,
                oldNullable: true,
                oldCollation: "Latin1_General_100_BIN2");

            migrationBuilder.AlterColumn<string>(
                name: "ExternalMessageId",
                table: "Messages",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "nvarchar(200)",
                oldMaxLength: 200,
                oldNullable: true,
                oldCollation: "Latin1_General_100_BIN2");

            migrationBuilder.AlterColumn<string>(
                name: "Lid",
                table: "LidMappings",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "nvarchar(64)",
                oldMaxLength: 64,
                oldCollation: "Latin1_General_100_BIN2");

            migrationBuilder.AlterColumn<string>(
                name: "CodePrefix",
                table: "Licences",
                type: "nvarchar(16)",
                maxLength: 16,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "nvarchar(16)",
                oldMaxLength: 16,
                oldCollation: "Latin1_General_100_BIN2");

            migrationBuilder.AlterColumn<string>(
                name: "MediaId",
                table: "InstagramMedia",
                type: "nvarchar(40)",
                maxLength: 40,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "nvarchar(40)",
                oldMaxLength: 40,
                oldCollation: "Latin1_General_100_BIN2");

            migrationBuilder.AlterColumn<string>(
                name: "ParentCommentId",
                table: "InstagramComments",
                type: "nvarchar(40)",
                maxLength: 40,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "nvarchar(40)",
                oldMaxLength: 40,
                oldNullable: true,
                oldCollation: "Latin1_General_100_BIN2");

            migrationBuilder.AlterColumn<string>(
                name: "MediaId",
                table: "InstagramComments",
                type: "nvarchar(40)",
                maxLength: 40,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "nvarchar(40)",
                oldMaxLength: 40,
                oldCollation: "Latin1_General_100_BIN2");

            migrationBuilder.AlterColumn<string>(
                name: "CommenterId",
                table: "InstagramComments",
                type: "nvarchar(40)",
                maxLength: 40,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "nvarchar(40)",
                oldMaxLength: 40,
                oldCollation: "Latin1_General_100_BIN2");

            migrationBuilder.AlterColumn<string>(
                name: "CommentId",
                table: "InstagramComments",
                type: "nvarchar(40)",
                maxLength: 40,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "nvarchar(40)",
                oldMaxLength: 40,
                oldCollation: "Latin1_General_100_BIN2");

            migrationBuilder.AlterColumn<string>(
                name: "InstagramUserId",
                table: "InstagramAccounts",
                type: "nvarchar(40)",
                maxLength: 40,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "nvarchar(40)",
                oldMaxLength: 40,
                oldCollation: "Latin1_General_100_BIN2");

            migrationBuilder.AlterColumn<string>(
                name: "EventKey",
                table: "InboundWebhookEvents",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "nvarchar(200)",
                oldMaxLength: 200,
                oldCollation: "Latin1_General_100_BIN2");

            migrationBuilder.AlterColumn<string>(
                name: "TargetId",
                table: "DeletionRequests",
                type: "nvarchar(100)",
                maxLength: 100,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "nvarchar(100)",
                oldMaxLength: 100,
                oldCollation: "Latin1_General_100_BIN2");

            migrationBuilder.AlterColumn<string>(
                name: "ConfirmationCode",
                table: "DeletionRequests",
                type: "nvarchar(40)",
                maxLength: 40,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "nvarchar(40)",
                oldMaxLength: 40,
                oldCollation: "Latin1_General_100_BIN2");

            migrationBuilder.AlterColumn<string>(
                name: "StorageKey",
                table: "DataExports",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "nvarchar(200)",
                oldMaxLength: 200,
                oldNullable: true,
                oldCollation: "Latin1_General_100_BIN2");

            migrationBuilder.AlterColumn<string>(
                name: "Key",
                table: "CustomFields",
                type: "nvarchar(50)",
                maxLength: 50,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "nvarchar(50)",
                oldMaxLength: 50,
                oldCollation: "Latin1_General_100_BIN2");

            migrationBuilder.AlterColumn<string>(
                name: "GroupId",
                table: "Contacts",
                type: "nvarchar(100)",
                maxLength: 100,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "nvarchar(100)",
                oldMaxLength: 100,
                oldNullable: true,
                oldCollation: "Latin1_General_100_BIN2");

            migrationBuilder.AlterColumn<string>(
                name: "PublicReplyId",
                table: "CommentReplies",
                type: "nvarchar(40)",
                maxLength: 40,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "nvarchar(40)",
                oldMaxLength: 40,
                oldNullable: true,
                oldCollation: "Latin1_General_100_BIN2");

            migrationBuilder.AlterColumn<string>(
                name: "ExternalMessageId",
                table: "CommentReplies",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "nvarchar(200)",
                oldMaxLength: 200,
                oldNullable: true,
                oldCollation: "Latin1_General_100_BIN2");

            migrationBuilder.AlterColumn<string>(
                name: "CommentId",
                table: "CommentReplies",
                type: "nvarchar(40)",
                maxLength: 40,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "nvarchar(40)",
                oldMaxLength: 40,
                oldCollation: "Latin1_General_100_BIN2");

            migrationBuilder.AlterColumn<string>(
                name: "ExternalChatId",
                table: "Chats",
                type: "nvarchar(100)",
                maxLength: 100,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "nvarchar(100)",
                oldMaxLength: 100,
                oldCollation: "Latin1_General_100_BIN2");

            migrationBuilder.AlterColumn<string>(
                name: "IdempotencyKey",
                table: "BroadcastRecipients",
                type: "nvarchar(100)",
                maxLength: 100,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "nvarchar(100)",
                oldMaxLength: 100,
                oldCollation: "Latin1_General_100_BIN2");

            migrationBuilder.AlterColumn<string>(
                name: "ExternalMessageId",
                table: "BroadcastRecipients",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "nvarchar(200)",
                oldMaxLength: 200,
                oldNullable: true,
                oldCollation: "Latin1_General_100_BIN2");

            migrationBuilder.AlterColumn<string>(
                name: "TargetId",
                table: "AuditEntries",
                type: "nvarchar(100)",
                maxLength: 100,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "nvarchar(100)",
                oldMaxLength: 100,
                oldNullable: true,
                oldCollation: "Latin1_General_100_BIN2");

            migrationBuilder.AlterColumn<string>(
                name: "StorageKey",
                table: "Attachments",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "nvarchar(200)",
                oldMaxLength: 200,
                oldCollation: "Latin1_General_100_BIN2");

            migrationBuilder.AlterColumn<string>(
                name: "Prefix",
                table: "ApiKeys",
                type: "nvarchar(8)",
                maxLength: 8,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "nvarchar(8)",
                oldMaxLength: 8,
                oldCollation: "Latin1_General_100_BIN2");

            migrationBuilder.AlterColumn<string>(
                name: "Key",
                table: "ApiIdempotencyRecords",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "nvarchar(200)",
                oldMaxLength: 200,
                oldCollation: "Latin1_General_100_BIN2");

            migrationBuilder.AddPrimaryKey(
                name: "PK_Workspaces",
                table: "Workspaces",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_WorkspaceMembers",
                table: "WorkspaceMembers",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_WorkspaceEvents",
                table: "WorkspaceEvents",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_WebhookSubscriptions",
                table: "WebhookSubscriptions",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_WebhookDeliveries",
                table: "WebhookDeliveries",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_ValidationJobs",
                table: "ValidationJobs",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_ValidationEntries",
                table: "ValidationEntries",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_Users",
                table: "Users",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_Tenants",
                table: "Tenants",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_SequenceSteps",
                table: "SequenceSteps",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_Sequences",
                table: "Sequences",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_SequenceEnrollments",
                table: "SequenceEnrollments",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_SendBudgets",
                table: "SendBudgets",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_Segments",
                table: "Segments",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_QuickReplies",
                table: "QuickReplies",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_Policies",
                table: "Policies",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_PlatformSettings",
                table: "PlatformSettings",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_NotificationTemplates",
                table: "NotificationTemplates",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_NotificationLogs",
                table: "NotificationLogs",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_Messages",
                table: "Messages",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_LidMappings",
                table: "LidMappings",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_Licences",
                table: "Licences",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_Labels",
                table: "Labels",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_InstagramMedia",
                table: "InstagramMedia",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_InstagramComments",
                table: "InstagramComments",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_InstagramAccounts",
                table: "InstagramAccounts",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_InboundWebhookEvents",
                table: "InboundWebhookEvents",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_DeletionRequests",
                table: "DeletionRequests",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_DataExports",
                table: "DataExports",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_CustomFields",
                table: "CustomFields",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_Contacts",
                table: "Contacts",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_ContactLists",
                table: "ContactLists",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_ContactListMembers",
                table: "ContactListMembers",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_ContactLabels",
                table: "ContactLabels",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_ContactImports",
                table: "ContactImports",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_ContactImportErrors",
                table: "ContactImportErrors",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_ContactFieldValues",
                table: "ContactFieldValues",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_CommentReplies",
                table: "CommentReplies",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_CommentAutomations",
                table: "CommentAutomations",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_Chats",
                table: "Chats",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_ChatLabels",
                table: "ChatLabels",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_Broadcasts",
                table: "Broadcasts",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_BroadcastRecipients",
                table: "BroadcastRecipients",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_BotSettings",
                table: "BotSettings",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_BotRules",
                table: "BotRules",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_BotReplies",
                table: "BotReplies",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_BotKeywords",
                table: "BotKeywords",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_AuditEntries",
                table: "AuditEntries",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_Attachments",
                table: "Attachments",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_ApiKeys",
                table: "ApiKeys",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_ApiIdempotencyRecords",
                table: "ApiIdempotencyRecords",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_Agencies",
                table: "Agencies",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_AdminUsers",
                table: "AdminUsers",
                column: "Id");

            migrationBuilder.CreateIndex(
                name: "IX_Users_AgencyId_Username",
                table: "Users",
                columns: new[] { "AgencyId", "Username" });

            migrationBuilder.CreateIndex(
                name: "IX_Users_TenantId_Username",
                table: "Users",
                columns: new[] { "TenantId", "Username" },
                unique: true,
                filter: "[TenantId] IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Segments_WorkspaceId_Name",
                table: "Segments",
                columns: new[] { "WorkspaceId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Labels_WorkspaceId_Name",
                table: "Labels",
                columns: new[] { "WorkspaceId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ContactLists_WorkspaceId_Name",
                table: "ContactLists",
                columns: new[] { "WorkspaceId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ContactFieldValues_FieldId_Value",
                table: "ContactFieldValues",
                columns: new[] { "FieldId", "Value" });
        }
    }
}
