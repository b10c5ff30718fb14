namespace Redoubt.Model.Tests;

public class PresetsTests
{
    public static TheoryData<string, string, long, string, long> Table => new()
    {
        { "nano", "250m", 250, "128Mi", 134217728 },
        { "micro", "500m", 500, "256Mi", 268435456 },
        { "small", "1", 1000, "512Mi", 536870912 },
        { "medium", "1", 1000, "1Gi", 1073741824 },
        { "large", "2", 2000, "2Gi", 2147483648 },
        { "xlarge", "4", 4000, "4Gi", 4294967296 },
        { "2xlarge", "8", 8000, "8Gi", 8589934592 },
        { "t1.nano", "250m", 250, "128Mi", 134217728 },
        { "t1.micro", "500m", 500, "256Mi", 268435456 },
        { "t1.small", "1", 1000, "512Mi", 536870912 },
        { "t1.medium", "2", 2000, "1Gi", 1073741824 },
        { "t1.large", "4", 4000, "2Gi", 2147483648 },
        { "t1.xlarge", "8", 8000, "4Gi", 4294967296 },
        { "t1.2xlarge", "16", 16000, "8Gi", 8589934592 },
        { "t1.4xlarge", "32", 32000, "16Gi", 17179869184 },
        { "c1.nano", "250m", 250, "256Mi", 268435456 },
        { "c1.micro", "500m", 500, "512Mi", 536870912 },
        { "c1.small", "1", 1000, "1Gi", 1073741824 },
        { "c1.medium", "2", 2000, "2Gi", 2147483648 },
        { "c1.large", "4", 4000, "4Gi", 4294967296 },
        { "c1.xlarge", "8", 8000, "8Gi", 8589934592 },
        { "c1.2xlarge", "16", 16000, "16Gi", 17179869184 },
        { "c1.4xlarge", "32", 32000, "32Gi", 34359738368 },
        { "s1.nano", "250m", 250, "512Mi", 536870912 },
        { "s1.micro", "500m", 500, "1Gi", 1073741824 },
        { "s1.small", "1", 1000, "2Gi", 2147483648 },
        { "s1.medium", "2", 2000, "4Gi", 4294967296 },
        { "s1.large", "4", 4000, "8Gi", 8589934592 },
        { "s1.xlarge", "8", 8000, "16Gi", 17179869184 },
        { "s1.2xlarge", "16", 16000, "32Gi", 34359738368 },
        { "s1.4xlarge", "32", 32000, "64Gi", 68719476736 },
        { "u1.nano", "250m", 250, "1Gi", 1073741824 },
        { "u1.micro", "500m", 500, "2Gi", 2147483648 },
        { "u1.small", "1", 1000, "4Gi", 4294967296 },
        { "u1.medium", "2", 2000, "8Gi", 8589934592 },
        { "u1.large", "4", 4000, "16Gi", 17179869184 },
        { "u1.xlarge", "8", 8000, "32Gi", 34359738368 },
        { "u1.2xlarge", "16", 16000, "64Gi", 68719476736 },
        { "u1.4xlarge", "32", 32000, "128Gi", 137438953472 },
        { "m1.nano", "250m", 250, "2Gi", 2147483648 },
        { "m1.micro", "500m", 500, "4Gi", 4294967296 },
        { "m1.small", "1", 1000, "8Gi", 8589934592 },
        { "m1.medium", "2", 2000, "16Gi", 17179869184 },
        { "m1.large", "4", 4000, "32Gi", 34359738368 },
        { "m1.xlarge", "8", 8000, "64Gi", 68719476736 },
        { "m1.2xlarge", "16", 16000, "128Gi", 137438953472 },
        { "m1.4xlarge", "32", 32000, "256Gi", 274877906944 },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void EveryPresetHasItsDocumentedSize(string name, string cpu, long cpuMillis, string memory, long memoryBytes)
    {
        Assert.True(Presets.TryGet(name, out var resources));
        Assert.Equal(new ComputeResources(cpuMillis, memoryBytes, cpu, memory), resources);
    }

    [Fact]
    public void NamesListEveryPresetOnceLegacyFirst()
    {
        Assert.Equal(Table.Select(row => (string)row[0]), Presets.Names);
    }

    [Theory]
    [InlineData("t1.huge")]
    [InlineData("T1.nano")]
    [InlineData("x1.nano")]
    [InlineData("4xlarge")]
    [InlineData("")]
    public void UnknownPresetsAreNotFound(string name)
    {
        Assert.False(Presets.TryGet(name, out _));
    }
}
