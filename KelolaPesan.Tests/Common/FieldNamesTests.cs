using System.Globalization;
using FluentValidation;
using KelolaPesan.Core.Common;
using KelolaPesan.Core.Tenancy;

namespace KelolaPesan.Tests.Common;

/// <summary>FluentValidation's own messages name the field in the reader's language, for every property a Core validator checks.</summary>
public sealed class FieldNamesTests
{
    [Theory]
    [InlineData("id", "'Nama' tidak boleh kosong.")]
    [InlineData("en", "'Name' must not be empty.")]
    public void AMessageWithoutACodeOfItsOwn_NamesTheFieldInTheReadersLanguage(string culture, string expected)
    {
        FieldNames.Use();
        var before = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
        try
        {
            var result = new TenantSettingsValidator().Validate(new TenantSettingsInput { Name = "", TimeZone = "Asia/Jakarta", PhoneRegion = "ID" });
            Assert.Contains(expected, result.Errors.Select(e => e.ErrorMessage));
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = before;
        }
    }

    [Fact]
    public void EveryPropertyACoreValidatorChecks_HasANameInBothLanguages()
    {
        var validators = typeof(FieldNames).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false } && typeof(IValidator).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null)
            .ToList();
        Assert.NotEmpty(validators);
        var missing = new List<string>();
        foreach (var type in validators)
        {
            var descriptor = ((IValidator)Activator.CreateInstance(type)!).CreateDescriptor();
            foreach (var member in descriptor.GetMembersWithValidators().Select(g => g.Key).Where(m => !string.IsNullOrEmpty(m)))
            {
                var name = member.Split('.')[^1];
                if (FieldNames.IsJsonName(name))
                    continue;
                foreach (var culture in new[] { "id", "en" })
                {
                    if (Resolved(name, culture) is null)
                        missing.Add($"{type.Name}.{member} ({culture})");
                }
            }
        }
        Assert.True(missing.Count == 0, "no field name for: " + string.Join(", ", missing.Distinct()));
    }

    private static string? Resolved(string name, string culture)
    {
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo(culture);
        try
        {
            return FieldNames.Resolve(typeof(object), new FakeMember(name), null);
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    private sealed class FakeMember(string name) : System.Reflection.MemberInfo
    {
        public override string Name => name;
        public override Type? DeclaringType => null;
        public override System.Reflection.MemberTypes MemberType => System.Reflection.MemberTypes.Property;
        public override Type? ReflectedType => null;
        public override object[] GetCustomAttributes(bool inherit) => [];
        public override object[] GetCustomAttributes(Type attributeType, bool inherit) => [];
        public override bool IsDefined(Type attributeType, bool inherit) => false;
    }
}
