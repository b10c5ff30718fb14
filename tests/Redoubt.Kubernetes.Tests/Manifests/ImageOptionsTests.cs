using Redoubt.Platforms.Kubernetes.Manifests;

namespace Redoubt.Kubernetes.Tests.Manifests;

public class ImageOptionsTests
{
    [Fact]
    public void ARedisImageReplacesOnlyTheVersionItNames()
    {
        var (options, error) = new ManifestOptions().WithImages(["v7=registry.local/redis:7.0.15"], null);

        Assert.Null(error);
        Assert.Equal("registry.local/redis:7.0.15", options!.ImageFor("v7"));
        Assert.Equal(new ManifestOptions().ImageFor("v8"), options.ImageFor("v8"));
        Assert.Equal(new ManifestOptions().ExporterImage, options.ExporterImage);
    }

    [Fact]
    public void TheExporterImageCanBeReplaced()
    {
        var (options, error) = new ManifestOptions().WithImages([], "mirror.example/redis_exporter:v1.74.0");

        Assert.Null(error);
        Assert.Equal("mirror.example/redis_exporter:v1.74.0", options!.ExporterImage);
    }

    [Theory]
    [InlineData("redis:7", "--redis-image: 'redis:7' is not VERSION=IMAGE")]
    [InlineData("v6=redis:6", "VERSION one of v7, v8")]
    [InlineData("v7=", "--redis-image: 'v7='")]
    [InlineData("v7=redis 7", "--redis-image: 'v7=redis 7'")]
    public void AMalformedRedisImageIsRefusedNamingTheOptionAndTheAllowedVersions(string entry, string expected)
    {
        var (options, error) = new ManifestOptions().WithImages([entry], null);

        Assert.Null(options);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void AMalformedExporterImageIsRefused()
    {
        var (options, error) = new ManifestOptions().WithImages([], "");

        Assert.Null(options);
        Assert.StartsWith("--exporter-image:", error, StringComparison.Ordinal);
    }
}
