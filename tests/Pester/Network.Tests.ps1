#Requires -Version 7.6
# Networking end to end: the default bridge with published ports answering on 127.0.0.1, user networks with
# name resolution, -Network none/host/container:, Connect-/Disconnect-Network, and a teardown that leaves no
# veth, bridge, iptables rule, namespace or lease behind. Traffic goes only to 127.0.0.1 and to the
# containers started here.

BeforeAll {
    $ErrorActionPreference = 'Stop'
    $ProgressPreference = 'SilentlyContinue'
    $ConfirmPreference = 'None'

    foreach ($name in 'PSCONTAINER_MODULE', 'PSCONTAINER_TEST_ROOTFS') {
        $value = [Environment]::GetEnvironmentVariable($name)
        if (-not $value) { throw "$name is not set: run build.ps1 PesterTest (or Test), which sets it." }
        if (-not (Test-Path -LiteralPath $value -PathType Leaf)) { throw "$name points at '$value', which does not exist." }
    }
    if ((& id -u) -ne '0') { throw 'These tests create network namespaces, bridges and iptables rules: they need root.' }
    $cniDirs = '/usr/lib/cni', '/usr/libexec/cni', '/opt/cni/bin'
    foreach ($plugin in 'bridge', 'host-local', 'portmap', 'firewall', 'loopback') {
        if (-not ($cniDirs | Where-Object { Test-Path -LiteralPath (Join-Path $_ $plugin) })) {
            throw "The CNI plugin '$plugin' is missing: apt-get install containernetworking-plugins."
        }
    }
    foreach ($tool in 'ip', 'iptables', 'iptables-save') {
        if (-not (Get-Command $tool -CommandType Application -ErrorAction SilentlyContinue)) { throw "$tool is missing: apt-get install iproute2 iptables." }
    }

    # A store of its own, named before the module is imported, so nothing touches /var/lib/pscontainer.
    $script:Root = '/tmp/psc-pester-net-' + [guid]::NewGuid().ToString('N').Substring(0, 12)
    New-Item -ItemType Directory -Path $script:Root | Out-Null
    $env:PSCONTAINER_ROOT = $script:Root
    Remove-Item Env:PSCONTAINER_RUNROOT -ErrorAction Ignore
    Import-Module $env:PSCONTAINER_MODULE -Force
    $script:Engine = Get-ContainerEngine
    if ($script:Engine.Root -ne $script:Root) { throw "The engine uses '$($script:Engine.Root)', not the test store." }
    Import-Image -Path $env:PSCONTAINER_TEST_ROOTFS -Tag busybox:latest -Change 'CMD ["sh"]' | Out-Null
    Import-Image -Path $env:PSCONTAINER_TEST_ROOTFS -Tag busybox:exposed -Change 'CMD ["sh"]', 'EXPOSE 80' | Out-Null

    # Everything the tests create is recorded here, so the teardown check knows what is ours.
    $script:ContainerIds = [Collections.Generic.List[string]]::new()
    $script:Veths = [Collections.Generic.HashSet[string]]::new()

    function Get-IptablesLines {
        @(& iptables-save) | Where-Object { $_ -and -not $_.StartsWith('#') -and $_ -notmatch '^(\*|COMMIT)' } | ForEach-Object { $_ -replace ' \[\d+:\d+\]$', '' }
    }

    function Get-HostNetworkState {
        [pscustomobject]@{
            Links    = @(& ip -o link show | ForEach-Object { (($_ -split ': ')[1] -split '@')[0] })
            Netns    = @(& ip netns list | ForEach-Object { ($_ -split ' ')[0] })
            Iptables = @(Get-IptablesLines)
        }
    }

    # A web server: busybox httpd serving one page that says $Text.
    function Get-WebCommand([string] $Text) {
        @('sh', '-c', "mkdir -p /var/www && echo $Text > /var/www/index.html && exec httpd -f -p 80 -h /var/www")
    }

    function New-TestContainer {
        $c = New-Container @args
        $script:ContainerIds.Add($c.Id)
        $c
    }

    # Records the host-side veths the running container got, from the attachments the engine caches.
    function Save-Veth([string] $Id) {
        foreach ($file in Get-ChildItem (Join-Path $script:Root 'networks/attachments') -Filter "$Id-*.json" -ErrorAction Ignore) {
            $attachment = Get-Content -Raw $file.FullName | ConvertFrom-Json
            foreach ($interface in $attachment.Result.interfaces) {
                if (-not $interface.sandbox -and $interface.name -like 'veth*') { [void] $script:Veths.Add($interface.name) }
            }
        }
    }

    function Invoke-Http([string] $Url, [double] $TimeoutSeconds = 20) {
        $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
        while ($true) {
            try { return (Invoke-WebRequest -Uri $Url -NoProxy -TimeoutSec 5).Content.Trim() }
            catch { if ([DateTime]::UtcNow -ge $deadline) { throw "No answer from $Url in $TimeoutSeconds s: $_" } }
            Start-Sleep -Milliseconds 200
        }
    }

    function Get-FreePort {
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $listener.Start()
        try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
    }

    # A user network on a 10.213.x.0/24 subnet; another x when a concurrent run already routes that one.
    function New-TestNetwork([string] $Name, [switch] $Internal) {
        for ($try = 0; $try -lt 10; $try++) {
            $subnet = "10.213.$(Get-Random -Minimum 0 -Maximum 256).0/24"
            try { return New-Network -Name $Name -Subnet $subnet -Internal:$Internal -Label suite=network }
            catch { if ($_.FullyQualifiedErrorId -notlike 'SubnetInUse*') { throw } }
        }
        throw 'No free 10.213.x.0/24 subnet found.'
    }

    $script:Before = Get-HostNetworkState
}

AfterAll {
    if ($script:Root -and (Get-Command Get-Container -ErrorAction Ignore)) {
        $env:PSCONTAINER_ROOT = $script:Root
        Get-Container -All -ErrorAction Continue | Remove-Container -Force -ErrorAction Continue
        Get-Network -ErrorAction Continue | Where-Object { -not $_.IsDefault } | Remove-Network -ErrorAction Continue
        $runRoot = $script:Engine.RunRoot
        foreach ($mount in (Get-Content /proc/mounts | ForEach-Object { ($_ -split ' ')[1] } | Where-Object { $_.StartsWith($script:Root + '/') } | Sort-Object Length -Descending)) {
            & umount -l $mount 2>$null
        }
        Remove-Item -LiteralPath $script:Root -Recurse -Force -ErrorAction Continue
        if ($runRoot -like '/run/pscontainer-*' -and (Test-Path -LiteralPath $runRoot)) { Remove-Item -LiteralPath $runRoot -Recurse -Force -ErrorAction Continue }
    }
}

Describe 'Default bridge network' {
    It 'is listed by Get-Network with a subnet and a bridge of this store' {
        $default = Get-Network bridge
        $default | Should -BeOfType ([PSContainer.Engine.Networks.NetworkInfo])
        $default.IsDefault | Should -BeTrue
        $default.Internal | Should -BeFalse
        $default.Subnet | Should -Match '^10\.\d+\.\d+\.0/\d+$'
        $default.Subnet | Should -Not -Be '10.88.0.0/16' -Because 'only the default store uses the default subnet'
        $default.Interface | Should -Match '^psc-[0-9a-f]{11}$'
        Test-Path -LiteralPath $default.ConfigPath | Should -BeTrue
        (Get-Content -Raw $default.ConfigPath | ConvertFrom-Json).plugins.type | Should -Be @('bridge', 'portmap', 'firewall')
    }

    It 'gives a container eth0 with an address, a default route and hosts/resolv.conf to match' {
        $out = Invoke-Container busybox -Command sh, -c, 'ip -o -4 addr show eth0; ip route; cat /etc/hosts; cat /etc/resolv.conf'
        $text = $out -join "`n"
        $subnet = (Get-Network bridge).Subnet
        $prefix = ($subnet -split '\.')[0..2] -join '.'
        $text | Should -Match "inet $([regex]::Escape($prefix))\.\d+/"
        $text | Should -Match 'default via'
        $text | Should -Match '127\.0\.0\.1\s+localhost'
        $text | Should -Not -Match 'nameserver 127\.'
    }

    It 'publishes a port on 127.0.0.1 that answers from the host' {
        $c = New-TestContainer busybox -Name web-local -Port 127.0.0.1::80 -Command (Get-WebCommand 'hello-local')
        $c.Ports.Count | Should -Be 1
        $c.Ports[0].ToString() | Should -Be '80/tcp'
        Start-Container web-local
        Save-Veth $c.Id
        $running = Get-Container web-local
        $port = $running.Ports[0]
        $port | Should -BeOfType ([PSContainer.Engine.Networks.PortMapping])
        $port.HostIp | Should -Be '127.0.0.1'
        $port.HostPort | Should -BeGreaterThan 0
        $port.ContainerPort | Should -Be 80
        $port.Protocol | Should -Be 'tcp'
        $port.ToString() | Should -Be "127.0.0.1:$($port.HostPort)->80/tcp"
        $running.IPAddress | Should -Not -BeNullOrEmpty
        Invoke-Http "http://127.0.0.1:$($port.HostPort)/" | Should -Be 'hello-local'
        ($running | Format-Table | Out-String -Width 250) | Should -Match ([regex]::Escape("127.0.0.1:$($port.HostPort)->80/tcp"))
    }

    It 'publishes a chosen host port on every address, 127.0.0.1 included' {
        $hostPort = Get-FreePort
        $c = New-TestContainer busybox -Name web-all -Port "${hostPort}:80" -Command (Get-WebCommand 'hello-all')
        Start-Container web-all
        Save-Veth $c.Id
        (Get-Container web-all).Ports[0].ToString() | Should -Be "0.0.0.0:${hostPort}->80/tcp"
        Invoke-Http "http://127.0.0.1:$hostPort/" | Should -Be 'hello-all'
    }

    It 'publishes the image''s EXPOSE ports with -PublishAll' {
        $c = New-TestContainer busybox:exposed -Name web-exposed -PublishAll -Command (Get-WebCommand 'hello-exposed')
        Start-Container web-exposed
        Save-Veth $c.Id
        $ports = @((Get-Container web-exposed).Ports)
        $ports | Should -HaveCount 1
        $port = $ports[0]
        $port.ContainerPort | Should -Be 80
        Invoke-Http "http://127.0.0.1:$($port.HostPort)/" | Should -Be 'hello-exposed'
    }

    It 'refuses a host port a host program holds, and one another container publishes' {
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $listener.Start()
        try {
            $held = $listener.LocalEndpoint.Port
            New-TestContainer busybox -Name port-held -Port "127.0.0.1:${held}:80" -Command sleep, 60 | Out-Null
            { Start-Container port-held -ErrorAction Stop } | Should -Throw -ErrorId 'PortInUse*'
        } finally {
            $listener.Stop()
        }
        $taken = (Get-Container web-all).Ports[0].HostPort
        New-TestContainer busybox -Name port-taken -Port "${taken}:80" -Command sleep, 60 | Out-Null
        { Start-Container port-taken -ErrorAction Stop } | Should -Throw -ErrorId 'PortAllocated*'
        (Get-Container port-taken).Status | Should -Be 'Created'
        Remove-Container port-held, port-taken
    }

    It 'rejects malformed -Port values and ports without a network' {
        { New-Container busybox -Port '80/icmp' -Command true -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentTransformationError*'
        { New-Container busybox -Network host -Port 8080:80 -Command true -ErrorAction Stop } | Should -Throw -ErrorId 'PortsNeedNetwork*'
        { New-Container busybox -Network no-such-net -Command true -ErrorAction Stop } | Should -Throw -ErrorId 'NetworkNotFound*'
    }
}

Describe 'User networks' {
    BeforeAll {
        $script:Net = New-TestNetwork -Name 'psc-test-app' -Internal
    }

    It 'creates a network with a subnet, a gateway and labels' {
        $script:Net.Name | Should -Be 'psc-test-app'
        $script:Net.Subnet | Should -Match '^10\.213\.\d+\.0/24$'
        $script:Net.Gateway | Should -Be (($script:Net.Subnet -replace '0/24$', '1'))
        $script:Net.Internal | Should -BeTrue
        $script:Net.Labels['suite'] | Should -Be 'network'
        { New-Network -Name 'psc-test-app' -ErrorAction Stop } | Should -Throw -ErrorId 'NetworkExists*'
        { New-Network -Name 'clash' -Subnet $script:Net.Subnet -ErrorAction Stop } | Should -Throw -ErrorId 'SubnetInUse*'
        { New-Network -Name 'host' -ErrorAction Stop } | Should -Throw -ErrorId 'NetworkNameReserved*'
        (Get-Network | Format-Table | Out-String -Width 250) | Should -Match 'psc-test-app'
    }

    It 'lets containers reach each other by name and by alias' {
        $web = New-TestContainer busybox -Name web -Network psc-test-app -NetworkAlias www -Command (Get-WebCommand 'hello-by-name')
        Start-Container web
        Save-Veth $web.Id
        $info = Get-Container web
        $info.NetworkMode | Should -Be 'psc-test-app'
        $info.Networks[0].Network | Should -Be 'psc-test-app'
        $info.Networks[0].Aliases | Should -Be @('www')
        $info.Networks[0].Interface | Should -Be 'eth0'
        $out = Invoke-Container busybox -Network psc-test-app -Command sh, -c, 'for i in 1 2 3 4 5 6 7 8 9 10; do wget -qO- http://web/ && break; sleep 0.5; done; wget -qO- http://www/'
        $out | Should -Be @('hello-by-name', 'hello-by-name')
        (Get-Network psc-test-app).Containers | Should -Be @('web')
    }

    It 'has no default route on an internal network' {
        Invoke-Container busybox -Network psc-test-app -Command ip, route | Should -Not -Match 'default'
    }

    It 'adds and drops peers in running containers'' hosts files as they connect and disconnect' {
        $two = New-TestContainer busybox -Name web2 -Command (Get-WebCommand 'hello-two')
        Start-Container web2
        $connected = Connect-Network psc-test-app web2 -NetworkAlias two -PassThru
        Save-Veth $two.Id
        $connected.Networks.Network | Should -Be @('bridge', 'psc-test-app')
        $connected.Networks[1].Interface | Should -Be 'eth1'
        $connected.Networks[1].IPAddress | Should -Match '^10\.213\.'
        # The running container web sees web2 at once: its /etc/hosts is rewritten in place.
        Invoke-Container busybox -Network container:web -Command wget, -qO-, http://two/ | Should -Be 'hello-two'
        { Connect-Network psc-test-app web2 -ErrorAction Stop } | Should -Throw -ErrorId 'AlreadyConnected*'
        { Remove-Network psc-test-app -ErrorAction Stop } | Should -Throw -ErrorId 'NetworkInUse*'

        Disconnect-Network psc-test-app web2
        (Get-Container web2).Networks.Network | Should -Be @('bridge')
        Invoke-Container busybox -Network container:web -Command sh, -c, 'grep -c web2 /etc/hosts || true' | Should -Be '0'
        Invoke-Container busybox -Network container:web2 -Command ip, -o, link | Should -HaveCount 2
    }

    It 'joins another container''s network with -Network container:web' {
        $out = Invoke-Container busybox -Network container:web -Command sh, -c, 'wget -qO- http://127.0.0.1/; hostname'
        $out[0] | Should -Be 'hello-by-name'
        $out[1] | Should -Be (Get-Container web).Hostname
    }
}

Describe 'Network modes' {
    It 'gives -Network none only loopback' {
        $links = Invoke-Container busybox -Network none -Command ip, -o, link
        $links | Should -HaveCount 1
        $links | Should -Match '^1: lo:'
        (Invoke-Container busybox -Network none -Command cat, /etc/hosts) -join "`n" | Should -Match '127\.0\.0\.1\s+localhost'
    }

    It 'shows the host''s interfaces and hostname to -Network host' {
        $hostLinks = @(& ip -o link show | ForEach-Object { (($_ -split ': ')[1] -split '@')[0] })
        $defaultDev = ((& ip route show default) -split ' ')[4]
        $out = Invoke-Container busybox -Network host -Command sh, -c, 'ip -o link | cut -d: -f2 | cut -d@ -f1; echo "host=$(hostname)"'
        $names = $out | Where-Object { $_ -notlike 'host=*' } | ForEach-Object { $_.Trim() }
        $names | Should -Contain 'lo'
        if ($defaultDev) { $names | Should -Contain $defaultDev }
        @($names | Where-Object { $hostLinks -contains $_ }).Count | Should -BeGreaterOrEqual ([Math]::Min(2, $hostLinks.Count))
        ($out | Where-Object { $_ -like 'host=*' }) | Should -Be "host=$((Get-Content /proc/sys/kernel/hostname).Trim())"
    }

    It 'records the mode on the container' {
        $c = New-TestContainer busybox -Network none -Command true
        $c.NetworkMode | Should -Be 'none'
        $c.Networks | Should -BeNullOrEmpty
        Remove-Container $c.Id
    }
}

Describe 'Teardown' {
    It 'frees addresses and interfaces when a container stops' {
        $before = @(Get-ChildItem (Join-Path $script:Root 'networks/ipam/bridge') -ErrorAction Ignore | Where-Object Name -Match '^\d+\.\d+\.\d+\.\d+$').Count
        Stop-Container web-local -Timeout 1
        $after = @(Get-ChildItem (Join-Path $script:Root 'networks/ipam/bridge') -ErrorAction Ignore | Where-Object Name -Match '^\d+\.\d+\.\d+\.\d+$').Count
        $after | Should -Be ($before - 1)
        (Get-Container web-local).IPAddress | Should -BeNullOrEmpty
        & ip netns list | Should -Not -Match ("pscontainer-" + (Get-Container web-local).Id.Substring(0, 12))
    }

    It 'leaves no veth, bridge, iptables rule, namespace or lease once containers and networks are gone' {
        $bridges = @(Get-Network | ForEach-Object Interface)
        $subnets = @(Get-Network | ForEach-Object { ($_.Subnet -split '\.')[0..2] -join '.' })
        $networkNames = @(Get-Network | ForEach-Object Name)
        Get-Container -All | Remove-Container -Force
        Get-Network | Where-Object { -not $_.IsDefault } | Remove-Network

        $after = Get-HostNetworkState
        foreach ($bridge in $bridges) { $after.Links | Should -Not -Contain $bridge }
        foreach ($veth in $script:Veths) { $after.Links | Should -Not -Contain $veth }
        $script:Veths.Count | Should -BeGreaterThan 0 -Because 'the running containers'' veths were recorded'
        foreach ($id in $script:ContainerIds) { $after.Netns | Should -Not -Contain ("pscontainer-" + $id.Substring(0, 12)) }

        # The plugins name per-container chains by a hash of network name and container id.
        $sha = [Security.Cryptography.SHA512]::Create()
        $hashes = foreach ($id in $script:ContainerIds) {
            foreach ($name in $networkNames) { [Convert]::ToHexStringLower($sha.ComputeHash([Text.Encoding]::UTF8.GetBytes($name + $id))).Substring(0, 21) }
        }
        $newRules = @($after.Iptables | Where-Object { $script:Before.Iptables -notcontains $_ })
        foreach ($line in $newRules) {
            foreach ($id in $script:ContainerIds) { $line | Should -Not -Match $id }
            foreach ($prefix in $subnets) { $line | Should -Not -Match ([regex]::Escape($prefix + '.')) }
            foreach ($hash in $hashes) { $line | Should -Not -Match $hash }
        }
        # Shared chains that were not here before must not stay behind empty (nobody else's rules in them).
        foreach ($chain in 'CNI-HOSTPORT-DNAT', 'CNI-FORWARD') {
            if ($script:Before.Iptables -notcontains ":$chain -" -and $after.Iptables -contains ":$chain -") {
                $rules = @($after.Iptables | Where-Object { $_ -like "-A $chain *" -and $_ -notmatch '-j CNI-ADMIN$' })
                $rules.Count | Should -BeGreaterThan 0 -Because "$chain is removed once unused"
            }
        }

        $leases = @(Get-ChildItem (Join-Path $script:Root 'networks/ipam') -Recurse -File -ErrorAction Ignore | Where-Object Name -Match '^\d+\.\d+\.\d+\.\d+$')
        $leases | Should -BeNullOrEmpty
        @(Get-ChildItem (Join-Path $script:Root 'networks/attachments') -ErrorAction Ignore) | Should -BeNullOrEmpty
        Test-Path (Join-Path $script:Root 'networks/psc-test-app.conflist') | Should -BeFalse
    }

    It 'refuses to remove the default network' {
        { Remove-Network bridge -ErrorAction Stop } | Should -Throw -ErrorId 'NetworkPredefined*'
    }
}
