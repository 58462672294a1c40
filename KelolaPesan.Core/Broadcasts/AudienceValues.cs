using System.Diagnostics.CodeAnalysis;
using KelolaPesan.Core.Common;

namespace KelolaPesan.Core.Broadcasts;

/// <summary>
/// The placeholder keys of one audience (custom fields, then name and phone; case-insensitive), shared by all its
/// members: each member keeps only an array of values, where a dictionary per member cost a large audience dearly.
/// </summary>
public sealed class AudienceValueKeys
{
    private readonly Dictionary<string, int> _index = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _keys = [];

    public AudienceValueKeys(IEnumerable<string> fieldKeys)
    {
        foreach (var key in fieldKeys)
            Add(key);
        NameSlot = Add(MessageTemplate.NameKey);
        PhoneSlot = Add(MessageTemplate.PhoneKey);
    }

    public int Count => _keys.Count;
    public int NameSlot { get; }
    public int PhoneSlot { get; }
    public IReadOnlyList<string> Keys => _keys;

    /// <summary>The keys as a set, for compiling a template against them.</summary>
    public IReadOnlySet<string> KeySet => _index.Keys.ToHashSet(StringComparer.OrdinalIgnoreCase);

    public int IndexOf(string key) => _index[key];

    public bool TryGetSlot(string key, out int slot) => _index.TryGetValue(key, out slot);

    /// <summary>A member's values: its custom fields (by slot, may be null), then name and phone over any field of the same key.</summary>
    public AudienceValues For(string? name, string phone, string?[]? fields)
    {
        var values = new string?[Count];
        fields?.AsSpan(0, Math.Min(fields.Length, Count)).CopyTo(values);
        values[NameSlot] = name;
        values[PhoneSlot] = phone;
        return new AudienceValues(this, values);
    }

    private int Add(string key)
    {
        if (_index.TryGetValue(key, out var slot))
            return slot;
        _index[key] = _keys.Count;
        _keys.Add(key);
        return _keys.Count - 1;
    }
}

/// <summary>One member's placeholder values, read through its audience's shared <see cref="AudienceValueKeys"/>.</summary>
public sealed class AudienceValues(AudienceValueKeys schema, string?[] values) : IReadOnlyDictionary<string, string?>
{
    public AudienceValueKeys Schema => schema;

    public string? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    public IEnumerable<string> Keys => schema.Keys;
    public IEnumerable<string?> Values => values;
    public int Count => values.Length;

    public bool ContainsKey(string key) => schema.TryGetSlot(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string? value)
    {
        if (schema.TryGetSlot(key, out var slot))
        {
            value = values[slot];
            return true;
        }
        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, string?>> GetEnumerator()
    {
        for (var i = 0; i < values.Length; i++)
            yield return new KeyValuePair<string, string?>(schema.Keys[i], values[i]);
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
