using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Resources;
using FluentValidation;

namespace KelolaPesan.Core.Common;

/// <summary>
/// The field names FluentValidation writes into its own messages, in the reader's language. A rule without a problem
/// code of its own said "'Owner Display Name' tidak boleh kosong." (the C# property's name inside an Indonesian sentence);
/// with this it says "'Nama tampilan pemilik' tidak boleh kosong.". Set once at start-up as the validators' display-name
/// resolver; a property without an entry keeps FluentValidation's own name for it.
/// </summary>
public static class FieldNames
{
    private static readonly ResourceManager Resources = new("KelolaPesan.Core.Common.FieldNames", typeof(FieldNames).Assembly);

    /// <summary>Null (FluentValidation's own name) for a property named as JSON names it: the REST API's requests, whose readers are programmers.</summary>
    public static string? Resolve(Type type, MemberInfo? member, LambdaExpression? expression) =>
        member is null || IsJsonName(member.Name) ? null : Resources.GetString(member.Name, CultureInfo.CurrentUICulture);

    /// <summary>A field's name in the reader's language, or null; a first letter in lower case (older audit entries) is read as upper.</summary>
    public static string? Describe(string field) =>
        field.Length == 0 ? null : Resources.GetString(char.ToUpperInvariant(field[0]) + field[1..], CultureInfo.CurrentUICulture);

    public static bool IsJsonName(string name) => name.Length > 0 && char.IsLower(name[0]);

    public static void Use() => ValidatorOptions.Global.DisplayNameResolver = Resolve;
}
