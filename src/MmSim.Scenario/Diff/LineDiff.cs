namespace MmSim.Scenario.Diff;

/// <summary>A small line diff (longest common subsequence), printed as unified-diff hunk lines.</summary>
internal static class LineDiff
{
    /// <summary>The lines of both sides, each prefixed " " (both), "-" (left only) or "+" (right only).</summary>
    public static IEnumerable<string> Unified(IReadOnlyList<string> left, IReadOnlyList<string> right)
    {
        int n = left.Count, m = right.Count;
        var lcs = new int[n + 1, m + 1];
        for (int i = n - 1; i >= 0; i--)
        {
            for (int j = m - 1; j >= 0; j--)
                lcs[i, j] = left[i] == right[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
        }
        int a = 0, b = 0;
        while (a < n || b < m)
        {
            if (a < n && b < m && left[a] == right[b])
            {
                yield return " " + left[a];
                a++;
                b++;
            }
            else if (b >= m || (a < n && lcs[a + 1, b] >= lcs[a, b + 1]))
            {
                yield return "-" + left[a++];
            }
            else
            {
                yield return "+" + right[b++];
            }
        }
    }
}
