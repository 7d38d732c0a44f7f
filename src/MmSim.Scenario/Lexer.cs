using System.Globalization;
using System.Text;

namespace MmSim.Scenario;

internal enum TokenKind
{
    End,
    Name,
    Variable,
    Number,
    String,
    Punct,
}

// Column: 1-based, of the token's first character. Text: the token as written (a variable without its '$').
internal readonly record struct Token(TokenKind Kind, int Column, string Text, long Number = 0, byte[]? Bytes = null)
{
    public bool Is(char punct) => Kind == TokenKind.Punct && Text.Length == 1 && Text[0] == punct;

    public bool Is(string punct) => Kind == TokenKind.Punct && Text == punct;

    public bool IsName(string name) => Kind == TokenKind.Name && Text == name;

    /// <summary>How an error message names the token: <c>'PROT_READ'</c>, <c>end of line</c>.</summary>
    public string Describe() => Kind switch
    {
        TokenKind.End => "end of line",
        TokenKind.Variable => $"'${Text}'",
        _ => $"'{Text}'",
    };
}

/// <summary>Splits one line into tokens on demand, so a failure result's free text need not be tokens.</summary>
internal sealed class Lexer(string line, string file, int lineNumber)
{
    private const string Punctuation = "()[]{},=|+-?";
    private static readonly string[] s_punctuation = [.. Punctuation.Select(c => c.ToString())];

    /// <summary>Multi-character punctuation, longest first where one is a prefix of another.</summary>
    private static readonly (string Text, string Token)[] s_words =
    [
        ("<unfinished ...>", Unfinished),
        ("<...", ResumedOpen),
        ("=>", "=>"),
        ("...", Ellipsis),
        ("\u2026", Ellipsis),
    ];

    public const string Unfinished = "<unfinished ...>";
    public const string ResumedOpen = "<...";
    public const string Ellipsis = "...";
    private int _pos;

    public string Line => line;

    public SourcePos At(int column) => new(file, lineNumber, column);

    public Token Next()
    {
        SkipSpaceAndComments();
        var column = _pos + 1;
        if (_pos == line.Length || line[_pos] == '#')
            return new Token(TokenKind.End, column, "");

        var c = line[_pos];
        // strace's longer punctuation: "=>" (a field the kernel changed), "..." or "…" (not shown), and the
        // markers of a call split by another task's output.
        foreach (var word in s_words)
        {
            if (line.AsSpan(_pos).StartsWith(word.Text, StringComparison.Ordinal))
            {
                _pos += word.Text.Length;
                return new Token(TokenKind.Punct, column, word.Token);
            }
        }
        int punct = Punctuation.IndexOf(c);
        if (punct >= 0)
        {
            _pos++;
            return new Token(TokenKind.Punct, column, s_punctuation[punct]);
        }
        if (c == '>')
        {
            _pos++;
            return new Token(TokenKind.Punct, column, ">");
        }
        if (c == '<' && _pos + 1 < line.Length && line[_pos + 1] == '<')
        {
            // strace's capability sets: 1<<CAP_IPC_LOCK|1<<CAP_SYS_RAWIO
            _pos += 2;
            return new Token(TokenKind.Punct, column, "<<");
        }
        if (c == '"')
            return LexString(column);
        if (char.IsAsciiDigit(c))
            return LexNumber(column);
        if (c == '$')
        {
            _pos++;
            var name = ReadWord();
            if (name.Length == 0 || char.IsAsciiDigit(name[0]))
                throw Error(column + 1, "expected a variable name after '$'");
            return new Token(TokenKind.Variable, column, name);
        }
        if (IsWordStart(c))
            return new Token(TokenKind.Name, column, ReadWord());
        throw Error(column, $"unexpected character '{c}'");
    }

    // Blanks, and C comments as strace writes them inside a call: 0x1234 /* _LINUX_CAPABILITY_VERSION_??? */.
    private void SkipSpaceAndComments()
    {
        while (_pos < line.Length)
        {
            if (char.IsWhiteSpace(line[_pos]))
            {
                _pos++;
            }
            else if (line.AsSpan(_pos).StartsWith("/*"))
            {
                var end = line.IndexOf("*/", _pos + 2, StringComparison.Ordinal);
                if (end < 0)
                    throw Error(_pos + 1, "unterminated comment: expected '*/'");
                _pos = end + 2;
            }
            else
            {
                return;
            }
        }
    }

    /// <summary>The next character that is not a blank, without consuming anything; '\0' at the end of the line.</summary>
    public char PeekChar()
    {
        var at = _pos;
        while (at < line.Length && line[at] is ' ' or '\t')
            at++;
        return at < line.Length ? line[at] : '\0';
    }

    /// <summary>Raw text up to <paramref name="close"/>, which is consumed; null when the line ends first.</summary>
    public string? ReadRawUntil(char close)
    {
        var end = line.IndexOf(close, _pos);
        if (end < 0)
            return null;
        var text = line[_pos..end];
        _pos = end + 1;
        return text;
    }

    private static bool IsWordStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private string ReadWord()
    {
        var start = _pos;
        while (_pos < line.Length && (IsWordStart(line[_pos]) || char.IsAsciiDigit(line[_pos])))
            _pos++;
        return line[start.._pos];
    }

    // decimal or 0x hex, then an optional binary-multiple suffix: 4K, 2M, 0x10G
    private Token LexNumber(int column)
    {
        var text = ReadWord();
        var digits = text;
        var shift = text[^1] switch { 'K' => 10, 'M' => 20, 'G' => 30, _ => 0 };
        if (shift != 0)
            digits = text[..^1];

        var hex = digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        var body = hex ? digits[2..] : digits;
        bool valid = hex ? IsHex(body) : !body.AsSpan().ContainsAnyExceptInRange('0', '9');
        if (body.Length == 0 || !valid)
            throw Error(column, $"invalid number '{text}'");
        var style = hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None;
        if (!ulong.TryParse(body, style, CultureInfo.InvariantCulture, out var value))
            throw Error(column, $"number '{text}' does not fit in 64 bits");
        if (shift != 0 && value > ulong.MaxValue >> shift)
            throw Error(column, $"number '{text}' does not fit in 64 bits");
        return new Token(TokenKind.Number, column, text, unchecked((long)(value << shift)));
    }

    private static bool IsHex(string digits)
    {
        foreach (var c in digits)
        {
            if (!char.IsAsciiHexDigit(c))
                return false;
        }
        return true;
    }

    // A C string literal; the escapes are \n \t \\ \" \xNN (exactly two hex digits) and C's octal \N, \NN, \NNN
    // (at most 0377), which strace prints for the other bytes ("\23\0\0").
    private Token LexString(int column)
    {
        var bytes = new List<byte>();
        Span<byte> utf8 = stackalloc byte[4];
        _pos++;
        while (true)
        {
            if (_pos == line.Length)
                throw Error(column, "unterminated string");
            var c = line[_pos];
            if (c == '"')
            {
                _pos++;
                break;
            }
            if (c != '\\')
            {
                Rune.DecodeFromUtf16(line.AsSpan(_pos), out var rune, out var used);
                bytes.AddRange(utf8[..rune.EncodeToUtf8(utf8)]);
                _pos += used;
                continue;
            }

            var escapeColumn = _pos + 1;
            var e = _pos + 1 < line.Length ? line[_pos + 1] : '\0';
            _pos += 2;
            switch (e)
            {
                case 'n': bytes.Add((byte)'\n'); break;
                case 't': bytes.Add((byte)'\t'); break;
                case '\\': bytes.Add((byte)'\\'); break;
                case '"': bytes.Add((byte)'"'); break;
                case >= '0' and <= '7':
                    int value = e - '0';
                    for (int digits = 1; digits < 3 && _pos < line.Length && line[_pos] is >= '0' and <= '7'; digits++, _pos++)
                        value = (value * 8) + (line[_pos] - '0');
                    if (value > 0xff)
                        throw Error(escapeColumn, $"octal escape '\\{line[(escapeColumn)..(_pos)]}' is above \\377");
                    bytes.Add((byte)value);
                    break;
                case 'x' when _pos + 2 <= line.Length
                    && byte.TryParse(line.AsSpan(_pos, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b):
                    bytes.Add(b);
                    _pos += 2;
                    break;
                case 'x':
                    throw Error(escapeColumn, "expected two hex digits after '\\x'");
                default:
                    throw Error(escapeColumn, _pos > line.Length ? "unterminated string" : $"unknown escape '\\{e}'");
            }
        }
        return new Token(TokenKind.String, column, line[(column - 1).._pos], Bytes: bytes.ToArray());
    }

    private ScenarioSyntaxException Error(int column, string detail) => new(At(column), detail);
}
