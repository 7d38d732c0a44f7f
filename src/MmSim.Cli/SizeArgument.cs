using System.Globalization;

namespace MmSim.Cli;

/// <summary>A size on the command line: a decimal number of bytes with an optional K, M, G or T suffix (powers of 1024).</summary>
internal static class SizeArgument
{
    public static bool TryParse(string text, out ulong bytes)
    {
        bytes = 0;
        if (text.Length == 0)
            return false;
        int shift = char.ToUpperInvariant(text[^1]) switch { 'K' => 10, 'M' => 20, 'G' => 30, 'T' => 40, _ => 0 };
        var digits = shift == 0 ? text : text[..^1];
        if (!ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out ulong n) || n > ulong.MaxValue >> shift)
            return false;
        bytes = n << shift;
        return true;
    }
}
