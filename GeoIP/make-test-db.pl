#!/usr/bin/env perl
# Writes the small GeoIP2-City-shaped test databases that the test suite reads.
#
#   perl GeoIP/make-test-db.pl        # GeoIP/test-city.mmdb
#   perl GeoIP/make-test-db.pl v2     # GeoIP/test-city-v2.mmdb (203.0.113.0/24 moves to Genève)
#   perl GeoIP/make-test-db.pl v1 OUT # the v1 database to another path
#
# Needs MaxMind's writer: Debian `libmaxmind-db-writer-perl` (scripts/install-deps).
# The networks and what they resolve to are listed in GeoIP/README.md; tests rely on
# that table, so change both together.
use strict;
use warnings;
use utf8;

use File::Basename qw(dirname);
use File::Spec;
use MaxMind::DB::Writer::Tree;

my $variant = shift @ARGV // 'v1';
die "usage: $0 [v1|v2] [OUTPUT]\n" unless $variant eq 'v1' || $variant eq 'v2';
my $default_name = $variant eq 'v1' ? 'test-city.mmdb' : 'test-city-v2.mmdb';
my $output = shift @ARGV // File::Spec->catfile(dirname(File::Spec->rel2abs($0)), $default_name);

# How each map key is stored (the writer needs a type for every key).
my %types = (
    city               => 'map',
    country            => 'map',
    registered_country => 'map',
    names              => 'map',
    iso_code           => 'utf8_string',
    en                 => 'utf8_string',
    geoname_id         => 'uint32',
);

my $tree = MaxMind::DB::Writer::Tree->new(
    ip_version    => 6,
    record_size   => 28,
    database_type => 'GeoIP2-City',
    languages     => ['en'],
    description   => { en => "shortlinks test city database ($variant)" },
    # Documentation ranges (192.0.2.0/24, 2001:db8::/32, ...) are reserved: keep them.
    remove_reserved_networks => 0,
    # ::ffff:0:0/96 (and 6to4, Teredo) point at the IPv4 subtree, as in MaxMind's databases.
    alias_ipv6_to_ipv4 => 1,
    map_key_type_callback => sub { $types{ $_[0] } // die "no type for key $_[0]\n" },
);
# A fixed build time, so regenerating gives byte-identical files (private writer API,
# meant for exactly this; skipped if a future writer drops it).
$tree->_set_build_epoch($variant eq 'v1' ? 1_735_689_600 : 1_738_368_000)
    if $tree->can('_set_build_epoch');

sub place {
    my (%args) = @_;
    my %record;
    $record{country} = { iso_code => $args{country}, names => { en => $args{country_name} } }
        if $args{country};
    $record{registered_country} = { iso_code => $args{registered}, names => { en => $args{registered_name} } }
        if $args{registered};
    $record{city} = { names => { en => $args{city} } } if $args{city};
    return \%record;
}

# IPv4 networks go into the IPv4 subtree ::a.b.c.d/(96 + prefix), where MaxMind and DB-IP put them.
sub v4 {
    my ($network) = @_;
    my ($address, $prefix) = split m{/}, $network;
    return "::$address/" . (96 + $prefix);
}

my @networks = (
    [ v4('203.0.113.0/24'), $variant eq 'v1'
        ? place(country => 'CH', country_name => 'Switzerland', city => 'Zürich')
        : place(country => 'CH', country_name => 'Switzerland', city => 'Genève') ],
    [ v4('198.51.100.0/24'), place(country => 'BR', country_name => 'Brazil', city => 'São Paulo') ],
    [ v4('192.0.2.0/25'),    place(country => 'US', country_name => 'United States') ],
    [ v4('192.0.2.128/25'),  place(registered => 'JP', registered_name => 'Japan') ],
    [ v4('8.8.8.0/24'),      place(country => 'US', country_name => 'United States', city => 'Mountain View') ],
    [ v4('81.2.64.0/20'),    place(country => 'GB', country_name => 'United Kingdom', city => 'London') ],
    [ v4('41.0.0.0/16'),     place(country => 'ZA', country_name => 'South Africa', city => 'Johannesburg') ],
    [ '2001:db8:1::/48',     place(country => 'DE', country_name => 'Germany', city => 'Berlin') ],
    [ '2001:db8:2::/48',     place(country => 'JP', country_name => 'Japan', city => 'Tokyo') ],
    [ '2001:db8:3::/48',     place(country => 'PL', country_name => 'Poland', city => 'Kraków') ],
    [ '2a00:1450::/32',      place(country => 'IE', country_name => 'Ireland', city => 'Dublin') ],
);

$tree->insert_network(@$_) for @networks;

my $temporary = "$output.tmp.$$";
open my $fh, '>:raw', $temporary or die "cannot write $temporary: $!\n";
$tree->write_tree($fh);
close $fh or die "cannot write $temporary: $!\n";
rename $temporary, $output or die "cannot rename to $output: $!\n";
print "$output\n";
