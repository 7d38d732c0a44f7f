using System.Text;

namespace MmSim.Tests.Fuzz;

/// <summary>
/// Turns a valid scenario file into a hostile one: byte flips, truncation, duplicated and deleted slices, lines
/// spliced from another file, huge numbers, deep nesting, very long lines, NUL bytes and invalid UTF-8. The same
/// seed always gives the same mutant.
/// </summary>
internal sealed class ScenarioMutator(IReadOnlyList<byte[]> corpus, int seed)
{
    private readonly Random _random = new(seed);

    private static readonly string[] HugeNumbers =
    [
        "0xffffffffffffffff", "18446744073709551615", "18446744073709551616", "99999999999999999999999",
        "0x8000000000000000", "9223372036854775807", "-9223372036854775808", "0x7ffffffff000", "0x800000000000",
        "16777215G", "0xfffffffffffffG", "2147483648", "4294967295", "4294967296", "-1", "-2147483649", "0",
        "0x7fffffffffffffff", "127T",
    ];

    private static readonly string[] Tokens =
    [
        "(", ")", "[", "]", "{", "}", ",", "=", "|", "+", "-", "?", "<<", "\"", "\\", "$", "$main", "#", "/*", "*/",
        "NULL", "=>", "...", "<unfinished ...>", "[pid ", "[pid $main]", "SIGSEGV", "-1 EINVAL", "K", "0x", "\t",
    ];

    /// <summary>One mutant of a file of the corpus: one to three mutations applied in turn.</summary>
    public byte[] Next()
    {
        var bytes = new List<byte>(corpus[_random.Next(corpus.Count)]);
        int rounds = 1 + _random.Next(3);
        for (int i = 0; i < rounds; i++)
            Mutate(bytes);
        return [.. bytes];
    }

    private void Mutate(List<byte> b)
    {
        int at = b.Count == 0 ? 0 : _random.Next(b.Count);
        switch (_random.Next(13))
        {
            case 0: // bit flip
                if (b.Count > 0)
                    b[at] ^= (byte)(1 << _random.Next(8));
                break;
            case 1: // truncation
                b.RemoveRange(at, b.Count - at);
                break;
            case 2: // a slice duplicated in place
            {
                int len = Math.Min(b.Count - at, 1 + _random.Next(200));
                b.InsertRange(at, b.GetRange(at, len));
                break;
            }
            case 3: // a slice deleted
                b.RemoveRange(at, Math.Min(b.Count - at, 1 + _random.Next(40)));
                break;
            case 4: // a line of another file spliced in
            {
                var other = Encoding.UTF8.GetString(corpus[_random.Next(corpus.Count)]).Split('\n');
                b.InsertRange(LineStart(b, at), Encoding.UTF8.GetBytes(other[_random.Next(other.Length)] + "\n"));
                break;
            }
            case 5: // a number replaced by a huge or boundary one
                ReplaceNumber(b, at, HugeNumbers[_random.Next(HugeNumbers.Length)]);
                break;
            case 6: // deep nesting or a long operator chain
            {
                int depth = _random.Next(4) switch { 0 => 10, 1 => 300, 2 => 5_000, _ => 60_000 };
                string unit = _random.Next(6) switch { 0 => "[", 1 => "{a=", 2 => "-", 3 => "1+", 4 => "(", _ => "1<<" };
                b.InsertRange(at, Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(unit, depth))));
                break;
            }
            case 7: // a very long line
            {
                int len = _random.Next(2) == 0 ? 10_000 : 1_000_000;
                byte fill = (byte)"a0\" ,x"[_random.Next(6)];
                b.InsertRange(at, Enumerable.Repeat(fill, len));
                break;
            }
            case 8: // NUL
                b.Insert(at, 0);
                break;
            case 9: // invalid UTF-8: a stray continuation byte, a truncated sequence, an encoded surrogate, 0xff
                b.InsertRange(at, _random.Next(4) switch
                {
                    0 => [0x80],
                    1 => [0xc3, 0x28],
                    2 => [0xed, 0xa0, 0x80],
                    _ => [0xff],
                });
                break;
            case 10: // a token of the language where it does not belong
                b.InsertRange(at, Encoding.UTF8.GetBytes(Tokens[_random.Next(Tokens.Length)]));
                break;
            case 11: // two lines swapped
            {
                var lines = Encoding.UTF8.GetString([.. b]).Split('\n');
                if (lines.Length > 1)
                {
                    int x = _random.Next(lines.Length), y = _random.Next(lines.Length);
                    (lines[x], lines[y]) = (lines[y], lines[x]);
                    b.Clear();
                    b.AddRange(Encoding.UTF8.GetBytes(string.Join('\n', lines)));
                }
                break;
            }
            default: // a random byte
                b.Insert(at, (byte)_random.Next(256));
                break;
        }
    }

    private static int LineStart(List<byte> b, int at)
    {
        while (at > 0 && b[at - 1] != '\n')
            at--;
        return at;
    }

    // The digits (and 0x, suffix) around or after `at`, or a plain insertion when there is no number nearby.
    private static void ReplaceNumber(List<byte> b, int at, string number)
    {
        int start = at;
        while (start < b.Count && !char.IsAsciiDigit((char)b[start]))
            start++;
        if (start == b.Count)
        {
            b.InsertRange(at, Encoding.ASCII.GetBytes(number));
            return;
        }
        int end = start;
        while (end < b.Count && char.IsAsciiLetterOrDigit((char)b[end]))
            end++;
        b.RemoveRange(start, end - start);
        b.InsertRange(start, Encoding.ASCII.GetBytes(number));
    }
}
