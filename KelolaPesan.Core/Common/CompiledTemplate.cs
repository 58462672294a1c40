using System.Text;

namespace KelolaPesan.Core.Common;

/// <summary>
/// A message template parsed once for many recipients (a broadcast renders it 100,000 times): the same output as
/// <see cref="MessageTemplate.Render"/> for the same values and the same random draws, in the same order, without
/// re-parsing the template and allocating lists per recipient. Which brace groups are placeholders is decided by the key
/// set given here, so every recipient's values must have those keys (a broadcast's audience does).
/// A template with unbalanced braces is not compiled: <see cref="TryCompile"/> answers null and the caller renders as before.
/// </summary>
public sealed class CompiledTemplate
{
    private readonly Node[] _nodes;

    private CompiledTemplate(Node[] nodes)
    {
        _nodes = nodes;
        UsesRandom = nodes.Any(n => n.Draws);
    }

    /// <summary>False when the template has no spintax: no random generator needs to be made per recipient.</summary>
    public bool UsesRandom { get; }

    public static CompiledTemplate? TryCompile(string template, IReadOnlySet<string> keys)
    {
        if (!MessageTemplate.HasBalancedBraces(template))
            return null;
        var pos = 0;
        return new CompiledTemplate(ParseRun(template, ref pos, keys, nested: false));
    }

    /// <param name="random">Used only when <see cref="UsesRandom"/>; may be null otherwise.</param>
    public string Render(IReadOnlyDictionary<string, string?> values, Random? random, StringBuilder buffer)
    {
        buffer.Clear();
        foreach (var node in _nodes)
            node.Write(buffer, values, random!);
        return buffer.ToString();
    }

    private static Node[] ParseRun(string s, ref int pos, IReadOnlySet<string> keys, bool nested)
    {
        var nodes = new List<Node>();
        var text = new StringBuilder();
        while (pos < s.Length)
        {
            var c = s[pos];
            if (nested && (c == '|' || c == '}'))
                break;
            if (c == '{')
            {
                if (text.Length > 0)
                {
                    nodes.Add(new TextNode(text.ToString()));
                    text.Clear();
                }
                nodes.Add(ParseGroup(s, ref pos, keys));
                continue;
            }
            text.Append(c);
            pos++;
        }
        if (text.Length > 0)
            nodes.Add(new TextNode(text.ToString()));
        return nodes.ToArray();
    }

    // Balanced braces are checked first, so every group closes.
    private static Node ParseGroup(string s, ref int pos, IReadOnlySet<string> keys)
    {
        pos++;
        var alternatives = new List<Node[]>();
        string? firstRaw = null;
        while (true)
        {
            var altStart = pos;
            alternatives.Add(ParseRun(s, ref pos, keys, nested: true));
            firstRaw ??= s[altStart..pos];
            if (s[pos] == '}')
            {
                pos++;
                break;
            }
            pos++; // '|'
        }
        var first = firstRaw.Trim();
        if (keys.Contains(first))
            return new PlaceholderNode(first, alternatives.Skip(1).ToArray());
        if (alternatives.Count > 1)
            return new SpinNode(alternatives.ToArray());
        return new LiteralGroupNode(alternatives[0]);
    }

    private abstract class Node
    {
        /// <summary>True when writing this node draws from the random generator (spintax inside).</summary>
        public abstract bool Draws { get; }

        public abstract void Write(StringBuilder sb, IReadOnlyDictionary<string, string?> values, Random random);

        protected static string RenderToString(Node[] run, IReadOnlyDictionary<string, string?> values, Random random)
        {
            var sb = new StringBuilder();
            foreach (var node in run)
                node.Write(sb, values, random);
            return sb.ToString();
        }

        protected static void WriteRun(StringBuilder sb, Node[] run, IReadOnlyDictionary<string, string?> values, Random random)
        {
            foreach (var node in run)
                node.Write(sb, values, random);
        }
    }

    private sealed class TextNode(string text) : Node
    {
        public override bool Draws => false;
        public override void Write(StringBuilder sb, IReadOnlyDictionary<string, string?> values, Random random) => sb.Append(text);
    }

    /// <summary>An unknown <c>{word}</c>: stays as typed (with anything inside rendered).</summary>
    private sealed class LiteralGroupNode(Node[] inner) : Node
    {
        public override bool Draws { get; } = inner.Any(n => n.Draws);

        public override void Write(StringBuilder sb, IReadOnlyDictionary<string, string?> values, Random random)
        {
            sb.Append('{');
            WriteRun(sb, inner, values, random);
            sb.Append('}');
        }
    }

    /// <summary><c>{key|fallback}</c>: the value, or the fallbacks joined by bars when it is empty.</summary>
    private sealed class PlaceholderNode(string key, Node[][] fallbacks) : Node
    {
        public override bool Draws { get; } = fallbacks.Any(f => f.Any(n => n.Draws));

        public override void Write(StringBuilder sb, IReadOnlyDictionary<string, string?> values, Random random)
        {
            var value = values.TryGetValue(key, out var v) ? v : null;
            if (!string.IsNullOrWhiteSpace(value))
            {
                // The interpreter renders the fallbacks before choosing: their draws are spent all the same.
                if (Draws)
                    foreach (var f in fallbacks)
                        RenderToString(f, values, random);
                sb.Append(value);
                return;
            }
            for (var i = 0; i < fallbacks.Length; i++)
            {
                if (i > 0)
                    sb.Append('|');
                WriteRun(sb, fallbacks[i], values, random);
            }
        }
    }

    /// <summary><c>{a|b|c}</c>: one alternative at random.</summary>
    private sealed class SpinNode(Node[][] alternatives) : Node
    {
        private readonly bool _nestedDraws = alternatives.Any(a => a.Any(n => n.Draws));

        public override bool Draws => true;

        public override void Write(StringBuilder sb, IReadOnlyDictionary<string, string?> values, Random random)
        {
            if (!_nestedDraws)
            {
                WriteRun(sb, alternatives[random.Next(alternatives.Length)], values, random);
                return;
            }
            // Nested spintax: every alternative is rendered first (spending its draws in order), as the interpreter does.
            var rendered = alternatives.Select(a => RenderToString(a, values, random)).ToArray();
            sb.Append(rendered[random.Next(rendered.Length)]);
        }
    }
}
