using FluentValidation;
using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Contacts;

/// <summary>What a user (form, API or import row) gives for one contact; the validator normalises nothing, the service does.</summary>
public sealed class ContactInput
{
    public string Name { get; set; } = "";
    public string Phone { get; set; } = "";
    public string? Email { get; set; }
    public string? GroupId { get; set; }
    public bool OptedOut { get; set; }

    /// <summary>Custom field values by field key, as typed.</summary>
    public Dictionary<string, string?> Fields { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    public List<Guid> ListIds { get; set; } = [];
    public List<Guid> LabelIds { get; set; } = [];
}

/// <summary>What the validator needs besides the input: the tenant's region and custom field definitions.</summary>
public sealed record ContactValidationContext(string Region, IReadOnlyList<CustomFieldDefinition> Fields);

/// <summary>The one validator of a contact, used by the form, the API and every import row.</summary>
public sealed class ContactInputValidator : AbstractValidator<ContactInput>
{
    public ContactInputValidator(ContactValidationContext context)
    {
        RuleFor(x => x.Name).NotEmpty().WithProblem("Name_Required")
            .MaximumLength(Contact.NameMaxLength).WithProblem("Name_TooLong", Contact.NameMaxLength);
        RuleFor(x => x.Phone).Custom((phone, ctx) =>
        {
            var result = PhoneNormalizer.Normalize(phone, context.Region);
            if (!result.IsValid)
                ctx.AddFailure(new FluentValidation.Results.ValidationFailure(nameof(ContactInput.Phone), result.Reason) { ErrorCode = PhoneNormalizer.Code(result.Error), CustomState = Problem.Of(PhoneNormalizer.Code(result.Error)) });
        });
        RuleFor(x => x.Email).MaximumLength(Contact.EmailMaxLength).Must(e => EmailAddress.IsValid(e!.Trim())).WithProblem("Email_Invalid")
            .When(x => !string.IsNullOrWhiteSpace(x.Email));
        RuleFor(x => x.GroupId).MaximumLength(Contact.GroupIdMaxLength);
        RuleFor(x => x.Fields).Custom((fields, ctx) =>
        {
            foreach (var (key, value) in fields)
            {
                var def = context.Fields.FirstOrDefault(f => string.Equals(f.Key, key, StringComparison.OrdinalIgnoreCase));
                if (def is null)
                {
                    ctx.AddProblem($"Fields.{key}", "CustomField_Unknown", key);
                    continue;
                }
                var check = CustomFieldValues.Parse(def, value);
                if (check.Error is { } error)
                    ctx.AddProblem($"Fields.{key}", error.Code, error.Args);
            }
        });
    }
}

/// <summary>
/// An address mail can reach: <c>local@domain.tld</c>, the local part of RFC 5322's unquoted characters (dots between
/// them), the domain two or more labels of letters, digits and inner hyphens, the last one not all digits.
/// FluentValidation's rule only looks for an <c>@</c> inside, so <c>hadi@x</c> was taken.
/// </summary>
public static partial class EmailAddress
{
    private const int LocalMaxLength = 64;

    public static bool IsValid(string? value) =>
        value is not null && Pattern().IsMatch(value) && value.IndexOf('@') <= LocalMaxLength;

    [System.Text.RegularExpressions.GeneratedRegex(
        @"^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*@([\p{L}\p{N}]([\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+(?!\p{N}+\z)[\p{L}\p{N}]([\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\z")]
    private static partial System.Text.RegularExpressions.Regex Pattern();
}

/// <summary>Custom field values are stored as invariant text so segments can compare them (dates as yyyy-MM-dd).</summary>
public static class CustomFieldValues
{
    private static readonly string[] DateFormats = ["yyyy-MM-dd", "d/M/yyyy", "d-M-yyyy", "d.M.yyyy", "yyyy/M/d", "d MMM yyyy", "d MMMM yyyy"];

    public static (string? Value, Problem? Error) Parse(CustomFieldDefinition def, string? raw)
    {
        var text = raw?.Trim();
        if (string.IsNullOrEmpty(text))
            return (null, null);
        if (text.Length > CustomFieldDefinition.ValueMaxLength)
            return (null, Problem.Of("CustomField_TooLong", def.Label, CustomFieldDefinition.ValueMaxLength));
        switch (def.Type)
        {
            case CustomFieldType.Number:
                var normal = text.Replace(" ", "");
                if (decimal.TryParse(normal, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var n)
                    || decimal.TryParse(normal, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.GetCultureInfo("id"), out n))
                    return (FormatNumber(n), null);
                return (null, Problem.Of("CustomField_NotANumber", def.Label, Short(text)));
            case CustomFieldType.Date:
                if (ParseDate(text) is { } date)
                    return (date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), null);
                return (null, Problem.Of("CustomField_NotADate", def.Label, Short(text)));
            case CustomFieldType.Choice:
                var match = Choices(def).FirstOrDefault(c => string.Equals(c, text, StringComparison.OrdinalIgnoreCase));
                return match is not null ? (match, null) : (null, Problem.Of("CustomField_NotAChoice", def.Label, Short(text)));
            default:
                return (text, null);
        }
    }

    /// <summary>Invariant text without trailing zeros ("10.50" -> "10.5"), so equal numbers are equal text.</summary>
    public static string FormatNumber(decimal n) => n.ToString("G29", System.Globalization.CultureInfo.InvariantCulture);

    public static DateOnly? ParseDate(string text)
    {
        foreach (var culture in new[] { System.Globalization.CultureInfo.InvariantCulture, System.Globalization.CultureInfo.GetCultureInfo("id") })
            if (DateOnly.TryParseExact(text, DateFormats, culture, System.Globalization.DateTimeStyles.None, out var d))
                return d;
        // An OADate serial as Excel stores a date cell.
        if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var serial) && serial is > 1 and < 2958465)
            return DateOnly.FromDateTime(DateTime.FromOADate(serial));
        if (DateTime.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var dt))
            return DateOnly.FromDateTime(dt);
        return null;
    }

    public static IReadOnlyList<string> Choices(CustomFieldDefinition def) =>
        (def.Choices ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string Short(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
