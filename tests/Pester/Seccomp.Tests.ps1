#Requires -Version 7.6
# Confinement as Docker does it: the allow-list seccomp profile, -SecurityOpt, -CapAdd/-CapDrop, -Privileged.
# A static probe (tests/Probes/syscall-probe.c) calls each system call of interest with arguments the
# kernel answers with success or an error other than EPERM/ENOSYS; EPERM or ENOSYS means a filter refused
# it. It runs in PSContainer containers and, side by side, under podman's default profile.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    foreach ($tool in 'gcc', 'podman', 'runc', 'tar') {
        if (-not (Get-Command $tool -ErrorAction Ignore)) { throw "$tool is not installed; the seccomp tests need it (build.ps1 Bootstrap installs the host packages)." }
    }
    $script:Root = Initialize-TestStore
    $script:Work = Join-Path $script:Root 'probe'
    $rootfs = Join-Path $script:Work 'rootfs'
    New-Item -ItemType Directory -Path $rootfs -Force | Out-Null

    # The probe image: the busybox root filesystem plus the probe, built statically here.
    & tar -xzf $env:PSCONTAINER_TEST_ROOTFS -C $rootfs
    if ($LASTEXITCODE) { throw 'Cannot unpack the busybox rootfs.' }
    $source = Join-Path $PSScriptRoot '../Probes/syscall-probe.c'
    New-Item -ItemType Directory -Path (Join-Path $rootfs 'usr/local/bin') -Force | Out-Null
    $gccOutput = & gcc -static -O2 -o (Join-Path $rootfs 'usr/local/bin/syscall-probe') $source 2>&1
    if ($LASTEXITCODE) { throw "gcc -static failed (is libc6-dev installed?): $gccOutput" }
    $tarball = Join-Path $script:Work 'probe-rootfs.tar.gz'
    & tar -czf $tarball -C $rootfs .
    if ($LASTEXITCODE) { throw 'Cannot pack the probe rootfs.' }
    $null = Import-Image -Path $tarball -Tag syscall-probe:latest -Change 'CMD ["/usr/local/bin/syscall-probe"]' -ErrorAction Stop

    # Probe results as a hashtable name → result.
    function ConvertFrom-Probe([string[]] $Lines) {
        $results = [ordered]@{}
        foreach ($line in $Lines) { if ($line -match '^([a-z0-9_-]+)=(\S+)$') { $results[$Matches[1]] = $Matches[2] } }
        if ($results.Count -lt 30) { throw "The probe printed too little: $($Lines -join '; ')" }
        $results
    }
    function Invoke-Probe([hashtable] $Options = @{}) {
        ConvertFrom-Probe (Invoke-Container syscall-probe:latest -Network none @Options -ErrorAction Stop)
    }
    function Test-Refused([string] $Result) { $Result -in 'EPERM', 'ENOSYS' }

    $script:Default = Invoke-Probe
    $script:SysAdmin = Invoke-Probe @{ CapAdd = 'SYS_ADMIN' }
    $script:Unconfined = Invoke-Probe @{ SecurityOpt = 'seccomp=unconfined' }

    # podman's default profile on the same root filesystem, with a store of its own. runc: crun refuses
    # hybrid cgroup hosts. Explicit ulimits: podman's defaults exceed the host's hard limits on some hosts.
    # podman wants a run root under 50 characters, so its store sits beside ours rather than inside it.
    $script:PodmanDir = '/tmp/psc-podman-' + [guid]::NewGuid().ToString('N').Substring(0, 8)
    $podman = @('--root', (Join-Path $script:PodmanDir 'root'), '--runroot', (Join-Path $script:PodmanDir 'run'),
        '--cgroup-manager', 'cgroupfs', '--events-backend', 'file', '--runtime', 'runc')
    $podmanOutput = & podman @podman run --rm --network none --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 --rootfs $rootfs /usr/local/bin/syscall-probe 2>&1
    if ($LASTEXITCODE) { throw "podman run failed: $podmanOutput" }
    $script:Podman = ConvertFrom-Probe ($podmanOutput | ForEach-Object { "$_" })

    # The side-by-side table, for the record.
    $table = foreach ($name in $script:Default.Keys) {
        [pscustomobject]@{ Syscall = $name; PSContainer = $script:Default[$name]; SysAdmin = $script:SysAdmin[$name]; Unconfined = $script:Unconfined[$name]; Podman = $script:Podman[$name] }
    }
    $table | Format-Table -AutoSize | Out-String -Width 120 | Write-Host

    # Docker's default profile refuses these (the probe's names; personality-read-implies-exec is an unusual persona).
    $script:DockerRefuses = @(
        'io_uring_setup', 'io_uring_enter', 'io_uring_register', 'move_pages', 'migrate_pages', 'get_mempolicy',
        'personality-read-implies-exec', 'unshare-newuser', 'clone-newns', 'setns', 'mount', 'umount2', 'open_tree',
        'keyctl', 'add_key', 'request_key', 'bpf', 'perf_event_open', 'userfaultfd', 'clock_settime', 'kcmp',
        'pidfd_getfd', 'socket-vsock', 'socket-alg')
    $script:DockerAllows = @(
        'getpid', 'io_setup', 'personality-query', 'personality-linux32', 'socket-inet', 'ptrace', 'clone',
        'process_vm_readv', 'vmsplice', 'name_to_handle_at', 'chroot')
    # Where Docker's and podman's default profiles agree (podman's also allows unshare, setns, mount, keyctl,
    # clone with namespace flags and clone3, relying on the missing CAP_SYS_ADMIN, and pidfd_getfd, AF_VSOCK and
# AF_ALG sockets; it refuses vmsplice, which Docker's allows).
    $script:BothRefuse = @(
        'io_uring_setup', 'io_uring_enter', 'io_uring_register', 'move_pages', 'migrate_pages',
        'personality-read-implies-exec', 'add_key', 'request_key', 'bpf', 'perf_event_open', 'userfaultfd',
        'clock_settime', 'kcmp')
    $script:BothAllow = @('getpid', 'io_setup', 'personality-query', 'personality-linux32', 'socket-inet', 'ptrace',
        'clone', 'process_vm_readv', 'name_to_handle_at', 'chroot')
}

AfterAll {
    if ($script:PodmanDir -and (Test-Path -LiteralPath $script:PodmanDir)) {
        foreach ($mount in Get-StoreMount -Under $script:PodmanDir) { & umount -l $mount 2>$null }
        Remove-Item -LiteralPath $script:PodmanDir -Recurse -Force
    }
    if ($script:Root) {
        # podman left an /etc/mtab symlink to /proc/mounts in the probe rootfs, which Remove-Item trips over.
        & rm -rf -- (Join-Path $script:Root 'probe')
        Remove-TestStore -Root $script:Root
    }
}

Describe 'The default seccomp profile' {
    It 'reaches the kernel with every probe when unconfined (the probe arguments draw no EPERM or ENOSYS of their own)' {
        $refused = $script:Unconfined.Keys | Where-Object { Test-Refused $script:Unconfined[$_] }
        $refused | Should -BeNullOrEmpty
    }

    It "refuses, with EPERM, what Docker's default profile refuses: <_>" -ForEach @(
        'io_uring_setup', 'io_uring_enter', 'io_uring_register', 'move_pages', 'migrate_pages', 'get_mempolicy',
        'personality-read-implies-exec', 'unshare-newuser', 'clone-newns', 'setns', 'mount', 'umount2', 'open_tree',
        'keyctl', 'add_key', 'request_key', 'bpf', 'perf_event_open', 'userfaultfd', 'clock_settime', 'kcmp',
        'pidfd_getfd', 'socket-vsock', 'socket-alg') {
        $script:Default[$_] | Should -Be 'EPERM'
    }

    It 'answers clone3 with ENOSYS, so C libraries fall back to clone' {
        $script:Default['clone3'] | Should -Be 'ENOSYS'
    }

    It "lets through what Docker's default profile allows, with the kernel's own answer" {
        foreach ($name in $script:DockerAllows) {
            $script:Default[$name] | Should -Be $script:Unconfined[$name] -Because "$name is allowed"
        }
    }

    It 'with -CapAdd SYS_ADMIN lets namespace, mount, BPF and perf calls and clone3 through, and still refuses io_uring and the keyring' {
        foreach ($name in 'unshare-newuser', 'clone-newns', 'clone3', 'setns', 'mount', 'umount2', 'open_tree', 'bpf', 'perf_event_open') {
            $script:SysAdmin[$name] | Should -Be $script:Unconfined[$name] -Because "CAP_SYS_ADMIN allows $name"
        }
        foreach ($name in 'io_uring_setup', 'keyctl', 'move_pages', 'personality-read-implies-exec', 'userfaultfd') {
            $script:SysAdmin[$name] | Should -Be 'EPERM' -Because "$name needs more than CAP_SYS_ADMIN"
        }
    }

    It "agrees with podman's default profile where Docker's and podman's agree" {
        foreach ($name in $script:BothRefuse) {
            Test-Refused $script:Podman[$name] | Should -BeTrue -Because "podman refuses $name"
            Test-Refused $script:Default[$name] | Should -BeTrue -Because "PSContainer refuses $name"
        }
        foreach ($name in $script:BothAllow) {
            Test-Refused $script:Podman[$name] | Should -BeFalse -Because "podman allows $name"
            Test-Refused $script:Default[$name] | Should -BeFalse -Because "PSContainer allows $name"
        }
    }
}

Describe 'Get-Container and Test-ContainerEngine' {
    It 'shows the profile in use: default, unconfined, or the file a container was made from' {
        $profilePath = Join-Path $script:Work 'no-mkdir.json'
        Set-Content -LiteralPath $profilePath -Value '{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1 } ] }'
        $default = New-Container busybox -Command true -ErrorAction Stop
        $unconfined = New-Container busybox -Command true -SecurityOpt seccomp=unconfined -ErrorAction Stop
        $custom = New-Container busybox -Command true -SecurityOpt "seccomp=$profilePath" -CapAdd net_admin -CapDrop CAP_CHOWN -ErrorAction Stop
        (Get-Container -Id $default.Id).SeccompProfile | Should -Be 'default'
        (Get-Container -Id $unconfined.Id).SeccompProfile | Should -Be 'unconfined'
        $shown = Get-Container -Id $custom.Id
        $shown.SeccompProfile | Should -Be $profilePath
        $shown.SecurityOpt | Should -Be @("seccomp=$profilePath")
        $shown.CapAdd | Should -Be @('CAP_NET_ADMIN')
        $shown.CapDrop | Should -Be @('CAP_CHOWN')
        $default, $unconfined, $custom | Remove-Container
    }

    It 'runs a container under a profile file (Docker or OCI format), kept from creation' {
        $profilePath = Join-Path $script:Work 'no-mkdir-run.json'
        Set-Content -LiteralPath $profilePath -Value '{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1 } ] }'
        $c = New-Container busybox -SecurityOpt "seccomp=$profilePath" -Command sh, -c, 'mkdir /made 2>/dev/null; echo "mkdir=$?"; grep ^Seccomp: /proc/self/status' -ErrorAction Stop
        Remove-Item -LiteralPath $profilePath
        $c | Start-Container -Wait -ErrorAction Stop
        $log = (Get-ContainerLog -Id $c.Id).Text
        $log | Should -Contain 'mkdir=1'
        ($log -match '^Seccomp:\s+2$') | Should -Not -BeNullOrEmpty
        $c | Remove-Container
    }

    It 'refuses a bad profile file with a clear error and creates nothing' {
        $bad = Join-Path $script:Work 'bad.json'
        Set-Content -LiteralPath $bad -Value '{ "defaultAction": "SCMP_ACT_ERRNO", "syscalls": [ { "names": ["read"], "action": "ALLOW" } ] }'
        $before = @(Get-Container -All).Count
        $c = New-Container busybox -Command true -SecurityOpt "seccomp=$bad" -ErrorVariable err -ErrorAction SilentlyContinue
        $c | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidSeccompProfile*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        "$($err[0])" | Should -BeLike "*$bad*'ALLOW' is unknown*"
        @(Get-Container -All).Count | Should -Be $before
    }

    It 'reports whether the kernel enforces seccomp' {
        $check = Test-ContainerEngine | Where-Object Name -EQ 'Seccomp'
        $check.Passed | Should -BeTrue
        $check.Detail | Should -BeLike '*errno*'
    }
}

Describe 'Capabilities, no-new-privileges and -Privileged' {
    BeforeAll {
        function Get-Status([hashtable] $Options) {
            $lines = Invoke-Container busybox @Options -Command grep, -E, '^(CapEff|NoNewPrivs|Seccomp):', /proc/self/status -ErrorAction Stop
            $status = @{}
            foreach ($line in $lines) { $k, $v = $line -split ':\s+', 2; $status[$k] = $v }
            $status
        }
        $script:HostBounding = [Convert]::ToUInt64(((Get-Content /proc/self/status | Where-Object { $_ -like 'CapBnd:*' }) -split '\s+')[1], 16)
    }

    It 'adds and drops capabilities by name, with or without CAP_, and ALL' {
        $status = Get-Status @{ CapAdd = 'SYS_ADMIN'; CapDrop = 'cap_net_raw' }
        $eff = [Convert]::ToUInt64($status.CapEff, 16)
        ($eff -band (1 -shl 21)) | Should -Not -Be 0 -Because 'CAP_SYS_ADMIN is bit 21'
        ($eff -band (1 -shl 13)) | Should -Be 0 -Because 'CAP_NET_RAW is bit 13'
        [Convert]::ToUInt64((Get-Status @{ CapDrop = 'ALL' }).CapEff, 16) | Should -Be 0
    }

    It 'keeps no-new-privileges on unless no-new-privileges=false' {
        (Get-Status @{}).NoNewPrivs | Should -Be '1'
        (Get-Status @{ SecurityOpt = 'no-new-privileges=false' }).NoNewPrivs | Should -Be '0'
    }

    It '-Privileged: every capability, no seccomp filter, writable /sys, the host devices, mounts allowed' {
        $status = Get-Status @{ Privileged = $true }
        [Convert]::ToUInt64($status.CapEff, 16) | Should -Be $script:HostBounding
        $status.Seccomp | Should -Be '0'
        $hostDevice = Get-ChildItem /dev -Force | Where-Object { $_.UnixFileMode -and $_.Name -match '^(loop\d+|vda|sda|nvme0n1|ttyS0)$' } | Select-Object -First 1
        $script = 'mkdir -p /mnt/t && mount -t tmpfs none /mnt/t && echo mounted; if touch /sys/kernel/probe 2>&1 | grep -q "Read-only"; then echo sys=ro; else echo sys=rw; fi'
        if ($hostDevice) { $script += "; test -e /dev/$($hostDevice.Name) && echo device" }
        $out = Invoke-Container busybox -Privileged -Command sh, -c, $script -ErrorAction Stop
        $out | Should -Contain 'mounted'
        $out | Should -Contain 'sys=rw'
        if ($hostDevice) { $out | Should -Contain 'device' }
        $c = New-Container busybox -Privileged -Command true -ErrorAction Stop
        $c.Privileged | Should -BeTrue
        $c.SeccompProfile | Should -Be 'unconfined'
        $c | Remove-Container
    }
}
