using System.Text;

namespace MmSim.Scenario;

/// <summary>
/// Reading a scenario's bytes as text, and showing text from a scenario on a terminal. A scenario is UTF-8;
/// bytes that are not are an error at their line and column, never silently replaced (a string literal writes
/// raw bytes as <c>\xNN</c>). What a scenario says is quoted back in messages with its control characters
/// escaped, so a NUL or an escape sequence in a file cannot reach the terminal raw.
/// </summary>
public static class SourceText
{
    private static readonly UTF8Encoding s_strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The file's text; a leading byte-order mark is dropped, as File.ReadAllText drops it.</summary>
    /// <exception cref="ScenarioSyntaxException">A byte sequence is not UTF-8.</exception>
    public static string Decode(ReadOnlySpan<byte> bytes, string file)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            bytes = bytes[3..];
        try
        {
            return s_strict.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw InvalidAt(bytes, e.Index, file);
        }
    }

    private static ScenarioSyntaxException InvalidAt(ReadOnlySpan<byte> bytes, int index, string file)
    {
        // The decoder reports where the bad sequence starts; the line is counted in bytes, the column in
        // characters of the valid text before it, as the lexer counts columns.
        if (index < 0 || index >= bytes.Length)
            index = FirstInvalid(bytes);
        var lineStart = bytes[..index].LastIndexOf((byte)'\n') + 1;
        var line = 1 + bytes[..lineStart].Count((byte)'\n');
        var column = 1 + Encoding.UTF8.GetCharCount(bytes[lineStart..index]);
        return new ScenarioSyntaxException(new SourcePos(file, line, column),
            $"invalid UTF-8 (byte 0x{bytes[index]:X2}); write raw bytes in a string as \\xNN");
    }

    private static int FirstInvalid(ReadOnlySpan<byte> bytes)
    {
        for (var i = 0; i < bytes.Length;)
        {
            var status = Rune.DecodeFromUtf8(bytes[i..], out _, out var used);
            if (status != System.Buffers.OperationStatus.Done)
                return i;
            i += used;
        }
        return 0;
    }

    /// <summary>
    /// <paramref name="text"/> safe to print: control characters (C0, DEL, C1) and the invisible bidirectional
    /// overrides become <c>\xNN</c> or <c>\u{NNNN}</c>; everything else, non-ASCII letters included, stays.
    /// </summary>
    public static string Printable(string text)
    {
        var i = 0;
        while (i < text.Length && !NeedsEscape(text[i]))
            i++;
        if (i == text.Length)
            return text;
        var sb = new StringBuilder(text.Length + 8).Append(text, 0, i);
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (!NeedsEscape(c))
                sb.Append(c);
            else if (c < 0x100)
                sb.Append($"\\x{(int)c:x2}");
            else
                sb.Append($"\\u{{{(int)c:x4}}}");
        }
        return sb.ToString();
    }

    private static bool NeedsEscape(char c) =>
        char.IsControl(c) && c != '\t'
        || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u200E' or '\u200F';
}
