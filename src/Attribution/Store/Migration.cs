using System.Security.Cryptography;
using System.Text;

namespace Attribution.Store;

/// <summary>One numbered plain-SQL script of a dialect.</summary>
public sealed record Migration(string Version, string Name, string Sql)
{
    /// <summary>SHA-256 of the script with line endings normalised, as stored in the journal.</summary>
    public string Checksum => Convert.ToHexStringLower(
        SHA256.HashData(Encoding.UTF8.GetBytes(Sql.Replace("\r\n", "\n", StringComparison.Ordinal))));

    /// <summary>Parses <c>NNNN_name.sql</c> into its version and name.</summary>
    public static Migration FromFile(string fileName, string sql)
    {
        var stem = Path.GetFileNameWithoutExtension(fileName);
        var underscore = stem.IndexOf('_', StringComparison.Ordinal);
        if (underscore != 4 || !stem[..4].All(char.IsAsciiDigit))
        {
            throw new InvalidOperationException($"Migration file '{fileName}' is not named NNNN_name.sql.");
        }

        return new Migration(stem[..4], stem[5..], sql);
    }
}
