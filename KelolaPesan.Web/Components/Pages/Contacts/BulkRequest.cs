using KelolaPesan.Core.Contacts;

namespace KelolaPesan.Web.Components.Pages.Contacts;

public sealed record BulkRequest(BulkAction Action, Guid? TargetId, bool AllOfFilter);
