#Requires -Version 7.6
<#
.SYNOPSIS
    Times Build-Image against buildah bud --layers on one 10-step Dockerfile, cold and fully cached.
.DESCRIPTION
    The Dockerfile (FROM busybox plus nine steps) copies ~1,000 small files, runs a step that writes 20 MB,
    copies one more file and sets metadata. Both builders start from the same busybox image: PSContainer
    imports the rootfs, buildah pulls the oci-archive Export-Image writes of it, before any timing.
      cold:   Build-Image -NoCache  beside  buildah bud --layers --no-cache  (every step runs)
      cached: Build-Image           beside  buildah bud --layers             (every step from the cache)
    Runs alternate between the two builders; the medians and their ratios (PSContainer / buildah) go to the
    host as a markdown table and to out/bench-build.md. Goals: cold <= 0.5, cached <= 0.25.
    Everything lives under one temp directory, removed at the end. Needs root, buildah and runc.
.EXAMPLE
    ./bench/Measure-Build.ps1 -ModulePath out/PSContainer/PSContainer.psd1 -RootfsPath out/busybox-rootfs.tar.gz
#>
[CmdletBinding()]
param(
    # The staged module manifest (out/PSContainer/PSContainer.psd1).
    [Parameter(Mandatory)]
    [string] $ModulePath,
    # A busybox rootfs .tar.gz (build.ps1 makes it with New-BusyboxRootfs).
    [Parameter(Mandatory)]
    [string] $RootfsPath,
    # Timed runs of each kind and builder.
    [ValidateRange(1, 50)]
    [int] $Iterations = 3,
    # Small files in the COPY step.
    [ValidateRange(1, 100000)]
    [int] $FileCount = 1000,
    # Where the markdown table is written.
    [string] $OutFile = (Join-Path $PSScriptRoot '../out/bench-build.md')
)

$ErrorActionPreference = 'Stop'
$ConfirmPreference = 'None'
$ProgressPreference = 'SilentlyContinue'
Set-StrictMode -Version Latest
Import-Module (Join-Path $PSScriptRoot 'BenchCommon.psm1') -Force

$ModulePath = (Resolve-Path -LiteralPath $ModulePath).ProviderPath
$RootfsPath = (Resolve-Path -LiteralPath $RootfsPath).ProviderPath
$OutFile = [IO.Path]::GetFullPath($OutFile)
foreach ($tool in 'buildah', 'runc') {
    if (-not (Get-Command $tool -ErrorAction Ignore)) { throw "$tool is not installed." }
}
if ((& id -u).Trim() -ne '0') { throw 'The benchmark needs root.' }

$work = Join-Path ([IO.Path]::GetTempPath()) ('psc-bench-build-' + [guid]::NewGuid().ToString('N'))
$context = Join-Path $work 'context'
$env:PSCONTAINER_ROOT = Join-Path $work 'store'
Remove-Item Env:PSCONTAINER_RUNROOT -ErrorAction Ignore
$buildahStorage = @('--root', (Join-Path $work 'buildah-root'), '--runroot', (Join-Path $work 'buildah-run'), '--storage-driver', 'overlay')
$buildahRun = @('--runtime', (Get-Command runc).Source, '--layers', '--format', 'docker')

function Measure-Milliseconds([scriptblock] $Block) {
    $clock = [Diagnostics.Stopwatch]::StartNew()
    & $Block
    $clock.Elapsed.TotalMilliseconds
}


function Invoke-Buildah([string[]] $Arguments) {
    $output = & buildah @buildahStorage @Arguments 2>&1
    if ($LASTEXITCODE -ne 0) { throw "buildah $($Arguments -join ' ') failed: $($output -join "`n")" }
}

try {
    Import-Module $ModulePath -Force
    New-Item -ItemType Directory -Path $context | Out-Null
    $null = Import-Image -Path $RootfsPath -Tag busybox:latest -Change 'CMD ["sh"]'
    $archive = Join-Path $work 'busybox-oci.tar'
    Export-Image busybox:latest -Path $archive -Format OciArchive
    Invoke-Buildah @('pull', '-q', "oci-archive:$archive")
    $baseId = (& buildah @buildahStorage images -q | Select-Object -First 1).Trim()
    Invoke-Buildah @('tag', $baseId, 'localhost/busybox-bench:latest')

    # ~1,000 small files in 10 directories.
    $perDir = [Math]::Max(1, [int][Math]::Ceiling($FileCount / 10))
    for ($i = 0; $i -lt $FileCount; $i++) {
        $dir = Join-Path $context ('files/d{0:D2}' -f [int][Math]::Floor($i / $perDir))
        if ($i % $perDir -eq 0) { New-Item -ItemType Directory -Path $dir -Force | Out-Null }
        [IO.File]::WriteAllText((Join-Path $dir "f$i.txt"), "file $i`n" * 8)
    }
    [IO.File]::WriteAllText((Join-Path $context 'app.conf'), "mode=bench`n")
    [IO.File]::WriteAllText((Join-Path $context 'Dockerfile'), @'
ARG BASE=busybox
FROM ${BASE}
ENV APP_HOME=/app MODE=bench
LABEL org.example.bench=build
WORKDIR /app
COPY files/ ./files/
RUN dd if=/dev/urandom of=/app/blob bs=1M count=20 2>/dev/null && ls /app/files | wc -l
COPY app.conf /etc/app.conf
EXPOSE 8080
USER www
CMD ["sh"]
'@)

    $pscBuild = { param([switch] $NoCache) $null = Build-Image $context -Tag bench:build -NoCache:$NoCache -Quiet }
    $buildahBuild = {
        param([switch] $NoCache)
        $cacheFlag = if ($NoCache) { @('--no-cache') } else { @() }
        Invoke-Buildah (@('bud') + $buildahRun + $cacheFlag + @('--build-arg', 'BASE=localhost/busybox-bench:latest', '-t', 'bench:build', $context))
    }
    # One untimed run each fills both caches and warms the module.
    & $pscBuild
    & $buildahBuild

    $results = @{ 'psc-cold' = @(); 'buildah-cold' = @(); 'psc-cached' = @(); 'buildah-cached' = @() }
    for ($i = 0; $i -lt $Iterations; $i++) {
        $results['psc-cold'] += Measure-Milliseconds { & $pscBuild -NoCache }
        $results['buildah-cold'] += Measure-Milliseconds { & $buildahBuild -NoCache }
        $results['psc-cached'] += Measure-Milliseconds { & $pscBuild }
        $results['buildah-cached'] += Measure-Milliseconds { & $buildahBuild }
        Write-Host ("run {0}: cold {1:N0} / {2:N0} ms, cached {3:N0} / {4:N0} ms (PSContainer / buildah)" -f ($i + 1),
            $results['psc-cold'][-1], $results['buildah-cold'][-1], $results['psc-cached'][-1], $results['buildah-cached'][-1])
    }

    $rows = foreach ($kind in 'cold', 'cached') {
        $ours = Get-Median $results["psc-$kind"]
        $theirs = Get-Median $results["buildah-$kind"]
        $goal = if ($kind -eq 'cold') { 0.5 } else { 0.25 }
        [pscustomobject]@{ Kind = $kind; PSContainer = $ours; Buildah = $theirs; Ratio = $ours / $theirs; Goal = $goal }
    }
    $table = @(
        "Build of a 10-step Dockerfile ($FileCount-file COPY, 20 MB RUN), median of $Iterations runs, $(Get-Date -Format 'yyyy-MM-dd HH:mm') UTC, load $((Get-Content /proc/loadavg).Split(' ')[0]):"
        ''
        '| build | PSContainer | buildah bud --layers | ratio | goal |'
        '|---|---:|---:|---:|---:|'
        $rows | ForEach-Object { '| {0} | {1:N0} ms | {2:N0} ms | {3:N2} | ≤ {4:N2} |' -f $_.Kind, $_.PSContainer, $_.Buildah, $_.Ratio, $_.Goal }
    )
    New-Item -ItemType Directory -Path (Split-Path $OutFile) -Force | Out-Null
    Set-Content -LiteralPath $OutFile -Value $table
    $table | Write-Host
} finally {
    & buildah @buildahStorage rmi --all --force *> $null
    Get-Content /proc/mounts | ForEach-Object { ($_ -split ' ')[1] } | Where-Object { $_.StartsWith($work, [StringComparison]::Ordinal) } |
        Sort-Object Length -Descending | ForEach-Object { & umount -l $_ 2>$null }
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction Ignore
}
