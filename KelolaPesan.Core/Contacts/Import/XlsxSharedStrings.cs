using System.Text;

namespace KelolaPesan.Core.Contacts.Import;

/// <summary>
/// A workbook's shared strings, held for the whole read because any row may point at any of them, packed as UTF-8 in
/// 1 MiB blocks with one 8-byte entry per string instead of one .NET string object each (about 56 bytes for a 15-letter
/// name). A million-row contact list has four million or more of them: ~90 MB packed instead of ~250 MB as strings.
/// A string is made again on each look-up; it lives as long as its row.
/// </summary>
internal sealed class XlsxSharedStrings
{
    private const int BlockSize = 1 << 20;
    private const int LengthBits = 20;
    private readonly List<byte[]> _blocks = [];
    // (global byte offset << LengthBits) | byte length; a string never spans two blocks.
    private readonly List<long> _entries = [];
    private int _used = BlockSize;

    public int Count => _entries.Count;

    public void Add(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        // A cell holds at most 32,767 characters: at most ~96 KB of UTF-8, well inside a block and the length field.
        if (length >= 1 << LengthBits)
            throw new SpreadsheetTooLargeException();
        if (_used + length > BlockSize)
        {
            _blocks.Add(new byte[BlockSize]);
            _used = 0;
        }
        var block = _blocks.Count - 1;
        Encoding.UTF8.GetBytes(value, _blocks[block].AsSpan(_used, length));
        _entries.Add(((long)block * BlockSize + _used) << LengthBits | (long)length);
        _used += length;
    }

    public string this[int index]
    {
        get
        {
            var entry = _entries[index];
            var length = (int)(entry & ((1 << LengthBits) - 1));
            var offset = entry >> LengthBits;
            return length == 0 ? "" : Encoding.UTF8.GetString(_blocks[(int)(offset / BlockSize)], (int)(offset % BlockSize), length);
        }
    }
}
