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
    // Entries in fixed chunks rather than one growing list: a list of millions doubles by copying, and every array it
    // outgrows is left on the large object heap until a full collection (tens of MB at a million rows).
    private const int EntryChunkBits = 16;
    private const int EntryChunk = 1 << EntryChunkBits;
    private readonly List<byte[]> _blocks = [];
    // (global byte offset << LengthBits) | byte length; a string never spans two blocks.
    private readonly List<long[]> _entries = [];
    private int _used = BlockSize;

    public int Count { get; private set; }

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
        if ((Count & (EntryChunk - 1)) == 0)
            _entries.Add(new long[EntryChunk]);
        _entries[Count >> EntryChunkBits][Count & (EntryChunk - 1)] = ((long)block * BlockSize + _used) << LengthBits | (long)length;
        Count++;
        _used += length;
    }

    public string this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count)
                throw new ArgumentOutOfRangeException(nameof(index));
            var entry = _entries[index >> EntryChunkBits][index & (EntryChunk - 1)];
            var length = (int)(entry & ((1 << LengthBits) - 1));
            var offset = entry >> LengthBits;
            return length == 0 ? "" : Encoding.UTF8.GetString(_blocks[(int)(offset / BlockSize)], (int)(offset % BlockSize), length);
        }
    }
}
