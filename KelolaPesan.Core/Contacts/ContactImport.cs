using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Contacts;

/// <summary>The record of one import: file, counts, who and when.</summary>
public class ContactImport : Entity, IWorkspaceOwned
{
    public const int FileNameMaxLength = 255;

    public Guid TenantId { get; set; }
    public Guid WorkspaceId { get; set; }
    public string FileName { get; set; } = "";
    public ImportSource Source { get; set; }
    public ImportStatus Status { get; set; }
    public ImportDuplicateMode DuplicateMode { get; set; }
    public Guid? ContactListId { get; set; }
    public int TotalRows { get; set; }
    public int ProcessedRows { get; set; }
    public int Created { get; set; }
    public int Updated { get; set; }
    public int Skipped { get; set; }
    public int Rejected { get; set; }
    public Guid? CreatedByUserId { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public string? Error { get; set; }

    /// <summary>The file's header row as read, JSON, so the rejected-rows file gives the rows back under their own headers.</summary>
    public string? Headers { get; set; }
}

public enum ImportSource { Xlsx = 0, Csv = 1, Chats = 2 }

public enum ImportStatus { Queued = 0, Running = 1, Completed = 2, Failed = 3 }

public enum ImportDuplicateMode { Skip = 0, Update = 1 }

/// <summary>Why a row of an import is listed: refused (bad data) or skipped (a duplicate, in Skip mode).</summary>
public enum ImportRowOutcome { Rejected = 0, Skipped = 1 }

/// <summary>A rejected or skipped row of an import, with its row number in the file and why.</summary>
public class ContactImportError : Entity, IWorkspaceOwned
{
    public const int ReasonMaxLength = 500;

    public Guid TenantId { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid ImportId { get; set; }
    public int RowNumber { get; set; }
    public ImportRowOutcome Outcome { get; set; }
    public string Reason { get; set; } = "";

    /// <summary>The row as read, JSON, so the report can show it back.</summary>
    public string? RawValues { get; set; }
}
