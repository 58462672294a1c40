using System.Text;
using KelolaPesan.Core.Contacts.Import;

namespace KelolaPesan.Tests.Contacts;

/// <summary>The packed shared-string table gives back exactly what went in, across its 1 MiB blocks and in any script.</summary>
public sealed class XlsxSharedStringsTests
{
    [Fact]
    public void EveryString_ComesBackTheSame_AcrossBlocks()
    {
        var table = new XlsxSharedStrings();
        var expected = new List<string>();
        // ~4 MB of UTF-8: several blocks, strings that would straddle a block edge start the next one.
        for (var i = 0; i < 150_000; i++)
        {
            var value = (i % 4) switch
            {
                0 => $"Pelanggan {i}",
                1 => $"Ibu Siti Nurhaliza — {i} 日本語 😀 " + new string('x', i % 97),
                2 => "",
                _ => $"p{i}@contoh.id",
            };
            expected.Add(value);
            table.Add(value);
        }
        var longest = new string('é', TableFiles.MaxCellLength);
        table.Add(longest);
        expected.Add(longest);

        Assert.Equal(expected.Count, table.Count);
        for (var i = 0; i < expected.Count; i++)
            Assert.Equal(expected[i], table[i]);
        Assert.True(Encoding.UTF8.GetByteCount(string.Concat(expected)) > 3 << 20, "the data should span several 1 MiB blocks");
    }
}
