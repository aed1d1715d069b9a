// Add diagram layout (BPMN DI) to process models that have none, so bpmn-js can draw them.
//   node scripts/layout-bpmn.mjs processes/*/*.bpmn
// Only the generated <bpmndi:BPMNDiagram> is added (and its namespaces); the process XML itself
// is kept byte for byte, because re-serialising it through bpmn-moddle drops SpiffWorkflow
// details such as a multi-instance loopDataInputRef. Files with DI are left alone.
import { readFileSync, writeFileSync } from 'node:fs';
import { BpmnModdle } from 'bpmn-moddle';
import { layoutProcess } from 'bpmn-auto-layout';

const NS = {
  bpmndi: 'http://www.omg.org/spec/BPMN/20100524/DI',
  dc: 'http://www.omg.org/spec/DD/20100524/DC',
  di: 'http://www.omg.org/spec/DD/20100524/DI',
};

// The layouter walks node.outgoing; hand-written BPMN often lists flows only as sequenceFlow
// elements. Fill incoming/outgoing on a copy (lanes removed: they make it stack every node).
async function layoutCopy(xml) {
  const moddle = new BpmnModdle();
  const { rootElement } = await moddle.fromXML(xml);
  const fill = (container) => {
    for (const el of container.flowElements || []) {
      if (el.$type === 'bpmn:SequenceFlow') {
        (el.sourceRef.outgoing ||= []).includes(el) || el.sourceRef.outgoing.push(el);
        (el.targetRef.incoming ||= []).includes(el) || el.targetRef.incoming.push(el);
      }
      if (el.flowElements) fill(el);
    }
  };
  for (const root of rootElement.rootElements) {
    if (root.$type === 'bpmn:Process') {
      root.laneSets = [];
      fill(root);
    }
  }
  const { xml: prepared } = await moddle.toXML(rootElement);
  return layoutProcess(prepared);
}

for (const file of process.argv.slice(2)) {
  const xml = readFileSync(file, 'utf8');
  if (xml.includes('bpmndi:BPMNDiagram')) {
    console.log(`${file}: has a layout, unchanged`);
    continue;
  }
  const laidOut = await layoutCopy(xml);
  const diagram = laidOut.match(/<bpmndi:BPMNDiagram[\s\S]*<\/bpmndi:BPMNDiagram>/);
  if (!diagram) throw new Error(`${file}: no diagram generated`);
  let out = xml.replace(/<\/bpmn:definitions>\s*$/, `  ${diagram[0]}\n</bpmn:definitions>\n`);
  for (const [prefix, uri] of Object.entries(NS)) {
    if (!out.includes(`xmlns:${prefix}=`)) {
      out = out.replace(/<bpmn:definitions\b/, `<bpmn:definitions xmlns:${prefix}="${uri}"`);
    }
  }
  writeFileSync(file, out);
  console.log(`${file}: layout added`);
}
