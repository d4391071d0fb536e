#!/usr/bin/env python3
"""Regenerates src/test/resources/invalid/ (one file per invalid document) and expectations.csv.

Run from the module directory: python3 src/test/scripts/generate_invalid.py
Each CSV row is file,pointer,code; a file may have several rows; every row must be among the reported violations.
"""
import json, os

OUT = os.path.join(os.path.dirname(__file__), '..', 'resources', 'invalid')
BASE = {"patient_id": "123456", "treatment_start": "2025-03-28T08:00:00Z", "treatment_end": "2025-03-28T10:00:00Z",
        "uf_volume": 2.4, "conductivity": 13.5, "machine_id": "DX2020", "alarms": ["A12", "B03"]}
OBS = {"system": "http://loinc.org", "code": "8867-4", "value": 72, "unit": "/min", "time": "2025-03-28T08:30:00Z"}

cases = []

def doc(**changes):
    d = dict(BASE)
    for k, v in changes.items():
        if v is None:
            d.pop(k, None)
        else:
            d[k] = v
    return json.dumps(d).encode()

def case(name, content, *expect):
    if isinstance(content, str):
        content = content.encode()
    cases.append((name, content, expect))

def obs(**changes):
    o = dict(OBS)
    for k, v in changes.items():
        if v is None:
            o.pop(k, None)
        else:
            o[k] = v
    return o

# Unknown properties at every level
case('unknown-root-property.json', doc(foo=1), ('/foo', 'unknown_property'))
case('unknown-camel-case-name.json', doc(machine_id=None, machineId='DX2020'), ('/machineId', 'unknown_property'), ('/machine_id', 'required'))
case('unknown-observation-property.json', doc(observations=[obs(extra='x')]), ('/observations/0/extra', 'unknown_property'))
case('unknown-property-with-unsafe-name.json', doc(**{'<b>x</b>': 1}), ('', 'unknown_property'))
# Missing required
case('missing-machine-id.json', doc(machine_id=None), ('/machine_id', 'required'))
case('missing-treatment-start.json', doc(treatment_start=None), ('/treatment_start', 'required'))
case('missing-identifiers.json', doc(patient_id=None), ('/patient_id', 'identifier_required'), ('/encounter_id', 'identifier_required'))
case('missing-observation-unit.json', doc(observations=[obs(unit=None)]), ('/observations/0/unit', 'required'))
case('empty-object.json', '{}', ('/machine_id', 'required'), ('/treatment_start', 'required'), ('/patient_id', 'identifier_required'), ('/encounter_id', 'identifier_required'))
# Wrong types
case('type-patient-id-number.json', doc(patient_id=123456), ('/patient_id', 'type'))
case('type-uf-volume-string.json', doc(uf_volume='2.4'), ('/uf_volume', 'type'))
case('type-conductivity-boolean.json', doc(conductivity=True), ('/conductivity', 'type'))
case('type-alarms-object.json', doc(alarms={'a': 'A12'}), ('/alarms', 'type'))
case('type-alarm-number.json', doc(alarms=[12]), ('/alarms/0', 'type'))
case('type-machine-id-null.json', doc(machine_id=None) .replace(b'}', b', "machine_id": null}'), ('/machine_id', 'type'))
case('type-session-duration-fraction.json', doc(session_duration=120.5), ('/session_duration', 'type'))
case('type-observations-object.json', doc(observations=obs()), ('/observations', 'type'))
# Empty and over-long strings
case('empty-patient-id.json', doc(patient_id=''), ('/patient_id', 'too_short'))
case('empty-machine-id.json', doc(machine_id=''), ('/machine_id', 'too_short'))
case('long-patient-id.json', doc(patient_id='1' * 65), ('/patient_id', 'too_long'))
case('long-alarm-code.json', doc(alarms=['A' * 33]), ('/alarms/0', 'too_long'))
case('long-notes.json', doc(notes='n' * 2001), ('/notes', 'too_long'))
case('string-over-global-limit.json', doc(notes='n' * 5000), ('/notes', 'too_long'))
case('number-literal-too-long.json', doc(machine_id=None).replace(b'}', b', "machine_id": "DX2020", "conductivity": ' + b'9' * 3000 + b'}').replace(b'"conductivity": 13.5, ', b''), ('/conductivity', 'too_long'))
# Out-of-range numbers
case('uf-volume-negative.json', doc(uf_volume=-0.1), ('/uf_volume', 'minimum'))
case('uf-volume-impossible.json', doc(uf_volume=1000), ('/uf_volume', 'maximum'))
case('blood-flow-impossible.json', doc(blood_flow=5000), ('/blood_flow', 'maximum'))
case('dialysate-temperature-too-cold.json', doc(dialysate_temperature=20), ('/dialysate_temperature', 'minimum'))
case('session-duration-zero.json', doc(session_duration=0, treatment_end=None), ('/session_duration', 'minimum'))
case('session-duration-over-14-days.json', doc(session_duration=20161, treatment_end=None), ('/session_duration', 'maximum'))
case('observation-value-huge.json', doc(observations=[obs(value=1e12)]), ('/observations/0/value', 'maximum'))
# Dates
case('impossible-date.json', doc(treatment_start='2025-02-30T08:00:00Z'), ('/treatment_start', 'format_date_time'))
case('not-a-date.json', doc(treatment_end='yesterday'), ('/treatment_end', 'format_date_time'))
case('leap-second.json', doc(treatment_end='2025-06-30T23:59:60Z', treatment_start='2025-06-30T20:00:00Z'), ('/treatment_end', 'format_date_time'))
case('missing-offset.json', doc(treatment_start='2025-03-28T08:00:00'), ('/treatment_start', 'offset_required'))
case('observation-time-missing-offset.json', doc(observations=[obs(time='2025-03-28T08:30:00')]), ('/observations/0/time', 'offset_required'))
case('end-before-start.json', doc(treatment_end='2025-03-28T07:59:59Z'), ('/treatment_end', 'end_before_start'))
case('end-before-start-across-offsets.json', doc(treatment_start='2025-03-28T10:00:00+01:00', treatment_end='2025-03-28T08:30:00Z'), ('/treatment_end', 'end_before_start'))
case('duration-mismatch.json', doc(session_duration=126), ('/session_duration', 'duration_mismatch'))
# Arrays and nesting
case('too-many-alarms.json', doc(alarms=['A%d' % i for i in range(257)]), ('/alarms', 'too_many_items'))
case('too-many-observations.json', json.dumps(dict(BASE, observations=[OBS] * 501), separators=(',', ':')), ('/observations', 'too_many_items'))
case('array-over-global-limit.json', doc(x=[0] * 1001), ('/x', 'too_many_items'), ('/x', 'unknown_property'))
case('deep-nesting.json', doc(x=[[[[[[[[[]]]]]]]]]), ('/x/0/0/0/0/0/0/0', 'too_deep'))
# Syntax
case('duplicate-key.json', doc().replace(b'}', b', "machine_id": "OTHER"}'), ('/machine_id', 'duplicate_key'))
case('duplicate-key-in-observation.json', doc(observations=[obs()]).replace(b'"code": "8867-4"', b'"code": "8867-4", "code": "8310-5"'), ('/observations/0/code', 'duplicate_key'))
case('truncated.json', doc()[:-8], ('/alarms', 'malformed_json'))
case('trailing-garbage.json', doc() + b' x', ('', 'trailing_content'))
case('trailing-second-object.json', doc() + b'\n{}', ('', 'trailing_content'))
case('single-quotes.json', doc().replace(b'"', b"'"), ('', 'malformed_json'))
case('empty-file.json', b'', ('', 'malformed_json'))
case('root-array.json', b'[' + doc() + b']', ('', 'not_an_object'))
case('root-string.json', b'"123456"', ('', 'not_an_object'))
case('root-null.json', b'null', ('', 'not_an_object'))
# Encoding and control characters
case('invalid-utf8.json', doc(patient_id='12X456').replace(b'X', b'\xc3\x28'), ('', 'invalid_utf8'))
case('invalid-utf8-overlong-slash.json', doc(notes='aXb').replace(b'X', b'\xc0\xaf'), ('', 'invalid_utf8'))
case('utf16-with-bom.json', doc().decode().encode('utf-16'), ('', 'invalid_utf8'))
case('control-character-escaped-in-notes.json', doc(notes='line\u0007bell'), ('/notes', 'pattern'))
case('lone-surrogate-in-notes.json', doc(notes='a\ud800b'), ('/notes', 'pattern'))
case('control-character-raw-in-string.json', doc(notes='aXb').replace(b'X', b'\x01'), ('', 'malformed_json'))
# Injection-looking strings in code fields
case('script-in-machine-id.json', doc(machine_id='<script>alert(1)</script>'), ('/machine_id', 'pattern'))
case('sql-in-patient-id.json', doc(patient_id="' OR 1=1 --"), ('/patient_id', 'pattern'))
case('path-traversal-in-patient-id.json', doc(patient_id='../../etc/passwd'), ('/patient_id', 'pattern'))
case('path-traversal-in-alarm.json', doc(alarms=['../etc/passwd']), ('/alarms/0', 'pattern'))
case('sql-in-observation-code.json', doc(observations=[obs(code="'; DROP TABLE x;--")]), ('/observations/0/code', 'pattern'))
case('quote-in-observation-system.json', doc(observations=[obs(system='http://loinc.org/"x')]), ('/observations/0/system', 'pattern'))
case('space-in-unit.json', doc(observations=[obs(unit='mm Hg')]), ('/observations/0/unit', 'pattern'))
case('space-in-technician-id.json', doc(technician_id='J Doe'), ('/technician_id', 'pattern'))
# Size
case('oversize-document.json', doc(notes='n' * 1500).replace(b'}', b', "pad": "' + b' ' * 70000 + b'"}'), ('', 'document_too_large'))

os.makedirs(OUT, exist_ok=True)
for f in os.listdir(OUT):
    os.remove(os.path.join(OUT, f))
with open(os.path.join(OUT, 'expectations.csv'), 'w') as csv:
    csv.write('# file,pointer,code (generated by src/test/scripts/generate_invalid.py)\n')
    for name, content, expect in cases:
        with open(os.path.join(OUT, name), 'wb') as f:
            f.write(content)
        for pointer, code in expect:
            csv.write('%s,%s,%s\n' % (name, pointer, code))
print(len(cases), 'cases')
