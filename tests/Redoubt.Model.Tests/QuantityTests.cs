namespace Redoubt.Model.Tests;

public class QuantityTests
{
    public static TheoryData<string, decimal> Valid => new()
    {
        { "0", 0m },
        { "1", 1m },
        { "128", 128m },
        { "0.5", 0.5m },
        { ".5", 0.5m },
        { "5.", 5m },
        { "+2", 2m },
        { "250m", 0.25m },
        { "1500m", 1.5m },
        { "1k", 1_000m },
        { "1M", 1_000_000m },
        { "1G", 1_000_000_000m },
        { "1T", 1_000_000_000_000m },
        { "1P", 1_000_000_000_000_000m },
        { "1E", 1_000_000_000_000_000_000m },
        { "1Ki", 1_024m },
        { "128Mi", 134_217_728m },
        { "1Gi", 1_073_741_824m },
        { "1.5Gi", 1_610_612_736m },
        { "2Ti", 2_199_023_255_552m },
        { "1Pi", 1_125_899_906_842_624m },
        { "1Ei", 1_152_921_504_606_846_976m },
        { "1e3", 1_000m },
        { "1E3", 1_000m },
        { "1.5e2", 150m },
        { "1e+2", 100m },
        { "25e-2", 0.25m },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void QuantitiesParseToBaseUnits(string text, decimal expected)
    {
        Assert.True(Quantity.TryParse(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("-1Gi")]
    [InlineData(" 1Gi")]
    [InlineData("1Gi ")]
    [InlineData("1 Gi")]
    [InlineData("1Gi\n")]
    [InlineData("1Gi\nappendonly no")]
    [InlineData("1Gi\r")]
    [InlineData("1gi")]
    [InlineData("1ki")]
    [InlineData("1KB")]
    [InlineData("1b")]
    [InlineData("Gi")]
    [InlineData(".")]
    [InlineData("1.2.3")]
    [InlineData("1,5")]
    [InlineData("1e")]
    [InlineData("1e999")]
    [InlineData("1e-99")]
    [InlineData("0x10")]
    [InlineData("abc")]
    [InlineData("1Gi\"")]
    [InlineData("\u0661")]
    [InlineData("99999999999999999999999999999999Ei")]
    public void MalformedQuantitiesAreRejected(string text)
    {
        Assert.False(Quantity.TryParse(text, out _));
    }

    [Fact]
    public void NullIsNotAQuantity()
    {
        Assert.False(Quantity.TryParse(null, out _));
    }

    [Theory]
    [InlineData("1Gi", 1_073_741_824)]
    [InlineData("1.5Ki", 1_536)]
    [InlineData("0.5", 1)]
    [InlineData("1000m", 1)]
    [InlineData("1001m", 2)]
    public void BytesAreWholeAndRoundedUp(string text, long expected)
    {
        Assert.Equal(expected, Quantity.ToBytes(text));
    }

    [Theory]
    [InlineData("250m", 250)]
    [InlineData("0.1", 100)]
    [InlineData("2", 2_000)]
    [InlineData("0.0001", 1)]
    [InlineData("1e-3", 1)]
    public void MillicoresAreWholeAndRoundedUp(string text, long expected)
    {
        Assert.Equal(expected, Quantity.ToMillicores(text));
    }

    [Fact]
    public void ConvertingAMalformedQuantityThrows()
    {
        Assert.Throws<FormatException>(() => Quantity.ToBytes("1 Gi"));
        Assert.Throws<FormatException>(() => Quantity.ToMillicores("fast"));
    }

    [Fact]
    public void BytesBeyondALongOverflow()
    {
        Assert.Throws<OverflowException>(() => Quantity.ToBytes("8Ei"));
    }

    [Theory]
    [InlineData(0, "0")]
    [InlineData(1, "1")]
    [InlineData(1_024, "1Ki")]
    [InlineData(1_536, "1536")]
    [InlineData(134_217_728, "128Mi")]
    [InlineData(107_374_182, "107374182")]
    [InlineData(1_048_576_000, "1000Mi")]
    [InlineData(1_073_741_824, "1Gi")]
    [InlineData(3_221_225_472, "3Gi")]
    [InlineData(1_099_511_627_776, "1Ti")]
    [InlineData(1_152_921_504_606_846_976, "1Ei")]
    [InlineData(long.MaxValue, "9223372036854775807")]
    public void BytesFormatInTheShortestExactBinaryForm(long bytes, string expected)
    {
        Assert.Equal(expected, Quantity.FormatBytes(bytes));
        Assert.True(Quantity.TryParse(expected, out var back));
        Assert.Equal(bytes, back);
    }

    [Theory]
    [InlineData(250, "250m")]
    [InlineData(1_000, "1")]
    [InlineData(1_500, "1500m")]
    [InlineData(32_000, "32")]
    public void MillicoresFormatAsWholeCoresWhenExact(long millicores, string expected)
    {
        Assert.Equal(expected, Quantity.FormatMillicores(millicores));
    }

    [Fact]
    public void NegativeAmountsCannotBeFormatted()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Quantity.FormatBytes(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Quantity.FormatMillicores(-1));
    }
}
