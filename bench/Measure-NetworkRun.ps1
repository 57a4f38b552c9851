#Requires -Version 7.6
<#
.SYNOPSIS
    Times a networked container run: PSContainer's default bridge beside podman's default network.
.DESCRIPTION
    Interleaved round-robin in one pwsh session, so host noise falls on every contender alike:
      psc bridge    Invoke-Container busybox /bin/true           (default network: CNI bridge, portmap, firewall)
      podman        podman run --rm --runtime runc ... /bin/true (default network: netavark bridge)
      psc none      Invoke-Container busybox -Network none ...   (no network set-up, for reference)
      podman none   podman run --rm --network none ...           (for reference)
    With -BaselineModulePath, an earlier build of the module runs the same two PSContainer cases in a child pwsh
    (its own store; timed inside the child, as the others are timed here), so before and after appear in one run:
      before bridge, before none
    Both engines use runc, private stores under one temp directory and the same busybox rootfs (podman's
    image comes from podman import). Medians go to the host as markdown and to -OutFile. Everything the run
    creates is removed at the end, also on failure, including iptables chains podman's netavark created and
    left empty. Nothing is pulled and no traffic leaves the host. Needs root, podman, runc and conmon.
.EXAMPLE
    ./bench/Measure-NetworkRun.ps1 -ModulePath out/PSContainer/PSContainer.psd1 -RootfsPath out/busybox-rootfs.tar.gz
.EXAMPLE
    ./bench/Measure-NetworkRun.ps1 -ModulePath out/PSContainer/PSContainer.psd1 -RootfsPath out/busybox-rootfs.tar.gz -BaselineModulePath /tmp/before/PSContainer.psd1
#>
[CmdletBinding()]
param(
    # The staged module manifest (out/PSContainer/PSContainer.psd1).
    [Parameter(Mandatory)]
    [string] $ModulePath,
    # A busybox rootfs .tar.gz (build.ps1 makes it with New-BusyboxRootfs).
    [Parameter(Mandatory)]
    [string] $RootfsPath,
    # An earlier build's staged module manifest, timed beside the current one ("before").
    [string] $BaselineModulePath,
    # Timed rounds, after the warm-up rounds.
    [ValidateRange(1, 1000)]
    [int] $Iterations = 15,
    [ValidateRange(0, 100)]
    [int] $Warmup = 2,
    # Where the markdown table is written.
    [string] $OutFile = (Join-Path $PSScriptRoot '../out/bench-network.md')
)

$ErrorActionPreference = 'Stop'
$ConfirmPreference = 'None'
$ProgressPreference = 'SilentlyContinue'
Set-StrictMode -Version Latest
Import-Module (Join-Path $PSScriptRoot 'BenchCommon.psm1') -Force

$ModulePath = (Resolve-Path -LiteralPath $ModulePath).ProviderPath
$RootfsPath = (Resolve-Path -LiteralPath $RootfsPath).ProviderPath
$OutFile = [IO.Path]::GetFullPath($OutFile)
if ($BaselineModulePath) { $BaselineModulePath = (Resolve-Path -LiteralPath $BaselineModulePath).ProviderPath }

# The baseline runs in a child pwsh that times one Invoke-Container per line it reads ("bridge" or "none").
$BaselineScript = @'
param($ModulePath, $RootfsPath)
$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue'; $ConfirmPreference = 'None'
Import-Module $ModulePath
Import-Image -Path $RootfsPath -Tag busybox:latest | Out-Null
[Console]::Out.WriteLine('ready')
while ($null -ne ($line = [Console]::In.ReadLine())) {
    $network = if ($line -eq 'none') { @{ Network = 'none' } } else { @{} }
    $sw = [Diagnostics.Stopwatch]::StartNew()
    Invoke-Container busybox -Command /bin/true @network
    $sw.Stop()
    [Console]::Out.WriteLine("$LASTEXITCODE $($sw.Elapsed.TotalMilliseconds)")
}
Get-Container -All | Remove-Container -Force
'@

function Start-Baseline([string] $Work) {
    $info = [Diagnostics.ProcessStartInfo]::new((Join-Path $PSHOME 'pwsh'))
    foreach ($a in '-NoProfile', '-NonInteractive', '-File', "$Work/baseline.ps1", $BaselineModulePath, $RootfsPath) { $info.ArgumentList.Add($a) }
    $info.Environment['PSCONTAINER_ROOT'] = "$Work/base/root"
    $info.Environment['PSCONTAINER_RUNROOT'] = "$Work/base/run"
    $info.Environment['PSCONTAINER_RUNTIME'] = 'runc'
    $info.RedirectStandardInput = $true
    $info.RedirectStandardOutput = $true
    Set-Content -Path "$Work/baseline.ps1" -Value $BaselineScript
    $process = [Diagnostics.Process]::Start($info)
    if ($process.StandardOutput.ReadLine() -ne 'ready') { throw 'The baseline pwsh did not start.' }
    $process
}

function Measure-Baseline([string] $Case) {
    $script:Baseline.StandardInput.WriteLine($Case)
    $reply = $script:Baseline.StandardOutput.ReadLine() -split ' '
    if ($reply[0] -ne '0') { throw "The baseline's Invoke-Container ($Case) exited with $($reply[0])." }
    [double] $reply[1]
}
$PodmanFlags = @('--runtime', 'runc', '--ulimit', 'nofile=20000:20000', '--ulimit', 'nproc=32768:32768')
$PodmanImage = 'localhost/busybox:netbench'



# The iptables rules and chains, without counters.
function Get-IptablesLines {
    @(& iptables-save) | Where-Object { $_ -and -not $_.StartsWith('#') } | ForEach-Object { $_ -replace ' \[\d+:\d+\]$', '' }
}

# Removes netavark chains this run created, if they hold only netavark's shared rules (no address in any of
# them): exactly those rules, then the chains, in one transaction that fails whole if anyone added a rule.
function Remove-NetavarkScaffolding([string[]] $Before) {
    $script = [Text.StringBuilder]::new()
    $table = $null; $lines = @()
    foreach ($line in Get-IptablesLines) {
        if ($line.StartsWith('*')) { $table = $line.Substring(1); $lines = @(); continue }
        if ($line -ne 'COMMIT') { $lines += $line; continue }
        $chains = @($lines | Where-Object { $_ -match '^:(NETAVARK\S*) ' -and $Before -notcontains $_ } | ForEach-Object { ($_ -split ' ')[0].Substring(1) })
        if (-not $chains) { continue }
        $rules = @($lines | Where-Object { $_ -match '^-A (\S+) ' -and ($chains -contains $Matches[1] -or ($_ -match '-j (\S+)' -and $chains -contains $Matches[1])) })
        if ($rules | Where-Object { $_ -match '\d+\.\d+\.\d+\.\d+' }) { continue }
        [void] $script.AppendLine("*$table")
        foreach ($rule in $rules) { [void] $script.AppendLine('-D' + $rule.Substring(2)) }
        foreach ($chain in $chains) { [void] $script.AppendLine("-X $chain") }
        [void] $script.AppendLine('COMMIT')
    }
    if ($script.Length -gt 0) { $script.ToString() | & iptables-restore --noflush 2>$null }
}

if ((& id -u) -ne '0') { throw 'The benchmark needs root.' }
foreach ($tool in 'podman', 'runc', 'conmon', 'iptables-save', 'iptables-restore') {
    if (-not (Get-Command $tool -CommandType Application -ErrorAction SilentlyContinue)) { throw "$tool is not installed." }
}

# Short paths: conmon's socket paths must stay under the sun_path limit.
$Work = Join-Path '/tmp' ('psc-netbench-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
New-Item -ItemType Directory -Path $Work | Out-Null
$savedEnv = @{}
foreach ($name in 'PSCONTAINER_ROOT', 'PSCONTAINER_RUNROOT', 'PSCONTAINER_RUNTIME', 'CONTAINERS_CONF') {
    $savedEnv[$name] = [Environment]::GetEnvironmentVariable($name)
}
$podmanGlobal = @('--root', "$Work/podman/root", '--runroot', "$Work/podman/run")
$iptablesBefore = @(Get-IptablesLines)

try {
    # PSContainer: a private store (its default network gets a bridge and subnet of its own), runc as podman uses.
    $env:PSCONTAINER_ROOT = "$Work/psc/root"
    $env:PSCONTAINER_RUNROOT = "$Work/psc/run"
    $env:PSCONTAINER_RUNTIME = 'runc'
    Import-Module $ModulePath -Force
    $engine = Get-ContainerEngine
    if ($engine.Root -ne $env:PSCONTAINER_ROOT) { throw "PSContainer uses store $($engine.Root), not the private one." }
    Import-Image -Path $RootfsPath -Tag busybox:latest | Out-Null
    $network = Get-Network bridge
    Write-Host "PSContainer: runtime $($engine.Runtime), default network $($network.Subnet) on $($network.Interface)"

    # podman: a private store, tmp dir and events log; its default network as configured on this host.
    New-Item -ItemType Directory -Force -Path "$Work/podman/tmp" | Out-Null
    $systemConf = @('/etc/containers/containers.conf', '/usr/share/containers/containers.conf') | Where-Object { Test-Path $_ } | Select-Object -First 1
    $conf = if ($systemConf) { Get-Content -Raw $systemConf } else { '' }
    $engineSettings = "tmp_dir = `"$Work/podman/tmp`"`nevents_logfile_path = `"$Work/podman/tmp/events.log`"`n"
    $conf = if ($conf -match '(?m)^\[engine\][ \t]*$') { $conf -replace '(?m)^\[engine\][ \t]*$', "[engine]`n$engineSettings" } else { $conf + "`n[engine]`n$engineSettings" }
    Set-Content -Path "$Work/podman/containers.conf" -Value $conf
    $env:CONTAINERS_CONF = "$Work/podman/containers.conf"
    Invoke-Native podman ($podmanGlobal + @('import', '--quiet', $RootfsPath, $PodmanImage)) | Out-Null
    $podmanVersion = (Invoke-Native podman @('--version')) -join ''
    $backend = (Invoke-Native podman ($podmanGlobal + @('info', '--format', '{{.Host.NetworkBackend}}'))) -join ''
    Write-Host "$podmanVersion, network backend $backend"

    if ($BaselineModulePath) { $script:Baseline = Start-Baseline $Work }
    $contenders = [ordered]@{
        'psc bridge'  = { Invoke-Container busybox -Command /bin/true; if ($LASTEXITCODE -ne 0) { throw "Invoke-Container exited with $LASTEXITCODE" } }
        'podman'      = { Invoke-Native podman ($podmanGlobal + @('run', '--rm') + $PodmanFlags + @($PodmanImage, '/bin/true')) | Out-Null }
        'psc none'    = { Invoke-Container busybox -Network none -Command /bin/true; if ($LASTEXITCODE -ne 0) { throw "Invoke-Container exited with $LASTEXITCODE" } }
        'podman none' = { Invoke-Native podman ($podmanGlobal + @('run', '--rm', '--network', 'none') + $PodmanFlags + @($PodmanImage, '/bin/true')) | Out-Null }
    }
    if ($BaselineModulePath) {
        $contenders['before bridge'] = { Measure-Baseline bridge }
        $contenders['before none'] = { Measure-Baseline none }
    }
    $names = @($contenders.Keys)
    $samples = @{}
    foreach ($name in $names) { $samples[$name] = [Collections.Generic.List[double]]::new() }
    Write-Host "$Warmup warm-up + $Iterations timed rounds of: $($names -join ', ')"
    for ($round = 0; $round -lt $Warmup + $Iterations; $round++) {
        for ($k = 0; $k -lt $names.Count; $k++) {
            $name = $names[($round + $k) % $names.Count]
            $sw = [Diagnostics.Stopwatch]::StartNew()
            $inner = & $contenders[$name]
            $sw.Stop()
            # The baseline reports its own time, measured in its process.
            $elapsed = if ($name -like 'before *') { $inner } else { $sw.Elapsed.TotalMilliseconds }
            if ($round -ge $Warmup) { $samples[$name].Add($elapsed) }
        }
    }
    if (@(Get-Container -All).Count -ne 0) { throw 'Invoke-Container left containers behind.' }

    $median = @{}
    foreach ($name in $names) { $median[$name] = Get-Median $samples[$name].ToArray() }
    $table = [Text.StringBuilder]::new()
    [void] $table.AppendLine("## Networked run latency ($Iterations runs each, $(Get-Date -Format 'yyyy-MM-dd HH:mm'), load $((Get-Content /proc/loadavg).Split(' ')[0..2] -join ' '))")
    [void] $table.AppendLine()
    [void] $table.AppendLine('| Run of /bin/true | Median ms | Min ms | Max ms |')
    [void] $table.AppendLine('|---|---:|---:|---:|')
    $labels = @{
        'psc bridge'  = 'PSContainer `Invoke-Container busybox`, default bridge'
        'podman'      = "podman run --rm, default network ($backend)"
        'psc none'    = 'PSContainer `Invoke-Container -Network none`'
        'podman none' = 'podman run --rm --network none'
        'before bridge' = 'PSContainer before (baseline build), default bridge'
        'before none'   = 'PSContainer before (baseline build), `-Network none`'
    }
    foreach ($name in $names) {
        $s = $samples[$name]
        [void] $table.AppendLine(('| {0} | {1:N0} | {2:N0} | {3:N0} |' -f $labels[$name], $median[$name], ($s | Measure-Object -Minimum).Minimum, ($s | Measure-Object -Maximum).Maximum))
    }
    [void] $table.AppendLine()
    [void] $table.AppendLine(('PSContainer / podman, default networks: **{0:N2}×**. Network set-up and teardown cost PSContainer {1:N0} ms and podman {2:N0} ms (median bridge run minus median none run).' -f
        ($median['psc bridge'] / $median['podman']), ($median['psc bridge'] - $median['psc none']), ($median['podman'] - $median['podman none'])))
    if ($BaselineModulePath) {
        [void] $table.AppendLine()
        [void] $table.AppendLine(('Before (baseline build): **{0:N2}×** podman; network set-up and teardown {1:N0} ms.' -f
            ($median['before bridge'] / $median['podman']), ($median['before bridge'] - $median['before none'])))
    }
    [void] $table.AppendLine()
    [void] $table.AppendLine("$podmanVersion; PSContainer runtime $($engine.Runtime) $($engine.RuntimeVersion); CNI plugins from containernetworking-plugins.")
    $markdown = $table.ToString()
    Write-Host ''
    Write-Host $markdown
    New-Item -ItemType Directory -Force -Path (Split-Path $OutFile) | Out-Null
    Set-Content -Path $OutFile -Value $markdown
    Write-Host "Written to $OutFile"
} finally {
    if ($script:Baseline) {
        $script:Baseline.StandardInput.Close()
        if (-not $script:Baseline.WaitForExit(60000)) { $script:Baseline.Kill($true) }
    }
    if (Get-Command Get-Container -ErrorAction Ignore) {
        Get-Container -All -ErrorAction Continue | Remove-Container -Force -ErrorAction Continue
    }
    if ($env:CONTAINERS_CONF -eq "$Work/podman/containers.conf") {
        # Not podman system reset: it would remove the host's podman networks too.
        & podman @podmanGlobal rm --all --force 2>$null | Out-Null
    }
    Remove-NetavarkScaffolding $iptablesBefore
    Remove-Module PSContainer -ErrorAction Ignore
    foreach ($name in $savedEnv.Keys) { [Environment]::SetEnvironmentVariable($name, $savedEnv[$name]) }
    foreach ($mount in (Get-Content /proc/mounts | ForEach-Object { ($_ -split ' ')[1] } | Where-Object { $_.StartsWith($Work + '/') } | Sort-Object Length -Descending)) {
        & umount -l $mount 2>$null
    }
    Remove-Item -LiteralPath $Work -Recurse -Force -ErrorAction Continue
}
